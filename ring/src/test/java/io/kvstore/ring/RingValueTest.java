package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Value semantics: equality is (epoch, assignment); toString is short and readable. */
class RingValueTest {
  @Test
  void equalityIsEpochAndAssignment() {
    List<NodeId> nodes = List.of(NodeId.of("a"), NodeId.of("b"));
    Ring one = Ring.create(8, nodes);
    Ring same = Ring.fromAssignment(1, one.owners());
    assertEquals(one, same);
    assertEquals(one.hashCode(), same.hashCode());
    assertNotEquals(one, Ring.fromAssignment(2, one.owners()));
    assertNotEquals(one, Ring.create(16, nodes));
    assertNotEquals(one, one.withNode(NodeId.of("c")).withoutNode(NodeId.of("c")));
    assertEquals("Ring{epoch=1, q=8, owned={a=4, b=4}}", one.toString());
    assertEquals("[0, 2^64)", Ring.create(1, nodes.subList(0, 1)).hashRangeOf(0).toString());
    assertEquals("[16140901064495857664, 2^64)", one.hashRangeOf(7).toString());
  }
}
