package io.kvstore.node.hints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A sloppy read leaves out hints past the hint window: such a hint may predate a tombstone that
 * has since been purged, and its expiry only waits for the next sweep. A target's entry counts
 * as old as its oldest hint.
 */
class HintIndexWindowTest {
  private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

  @Test
  void hintsOlderThanTheWindowAreLeftOutOfReads() {
    HintIndex index = new HintIndex(1 << 20);
    SiblingSet old = SiblingSet.EMPTY.put(bytes("old"), VersionVector.EMPTY, new Actor("a", 1));
    SiblingSet fresh = SiblingSet.EMPTY.put(bytes("new"), VersionVector.EMPTY, new Actor("b", 1));
    index.add(new NodeId("n2"), KEY, old, 100);
    index.add(new NodeId("n3"), KEY, fresh, 500);
    assertEquals(SiblingSet.sync(old, fresh), index.get(KEY).orElseThrow());
    assertEquals(fresh, index.get(KEY, 200).orElseThrow(), "n2's hint is past the window");
    index.add(new NodeId("n3"), KEY, old, 150);
    assertTrue(index.get(KEY, 200).isEmpty(), "n3's entry now holds a hint as old as 150");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
