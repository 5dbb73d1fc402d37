package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Node ids: validation and the ordering that the initial assignment relies on. */
class NodeIdTest {
  @Test
  void acceptsPlainIdsAndOrdersThemByString() {
    NodeId n1 = NodeId.of("n1");
    assertEquals(new NodeId("n1"), n1);
    assertEquals("n1", n1.toString());
    assertEquals(List.of(NodeId.of("n1"), NodeId.of("n10"), NodeId.of("n2")),
        List.copyOf(new TreeSet<>(List.of(NodeId.of("n2"), NodeId.of("n10"), n1))));
    assertTrue(new NodeId("x".repeat(NodeId.MAX_UTF8_BYTES)).id().length() == 255);
    assertEquals("nœud-é", NodeId.of("nœud-é").id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "n 1", "n\t1", "n1\n", "\u0000", "a\uD800b"})
  void rejectsEmptyBlankControlAndMalformedIds(String id) {
    assertThrows(IllegalArgumentException.class, () -> new NodeId(id));
  }

  @Test
  void rejectsIdsLongerThan255Utf8Bytes() {
    assertThrows(IllegalArgumentException.class, () -> new NodeId("x".repeat(256)));
    assertThrows(IllegalArgumentException.class, () -> new NodeId("é".repeat(128))); // 256 B
    assertThrows(NullPointerException.class, () -> new NodeId(null));
  }
}
