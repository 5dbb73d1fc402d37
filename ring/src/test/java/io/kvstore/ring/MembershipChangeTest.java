package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Join and leave: minimal movement, balance, epochs and immutability (DESIGN.md section 3). */
class MembershipChangeTest {
  private static final NodeId NEWCOMER = NodeId.of("newcomer");

  /** Checks one join against the model; returns the new ring. */
  private static Ring joinAndCheck(Ring before, NodeId node, String msg) {
    int s = before.members().size();
    Ring after = before.withNode(node);
    List<Integer> moved = RingModel.moved(before, after);
    assertEquals(before.partitionCount() / (s + 1), moved.size(), msg + " moves Q/(S+1)");
    assertEquals(moved, after.partitionsOf(node), msg + " only partitions to the newcomer move");
    assertEquals(before.epoch() + 1, after.epoch(), msg);
    return after;
  }

  private static Ring leaveAndCheck(Ring before, NodeId node, String msg) {
    Ring after = before.withoutNode(node);
    assertEquals(before.partitionsOf(node), RingModel.moved(before, after), msg);
    assertFalse(after.members().contains(node), msg);
    assertEquals(before.epoch() + 1, after.epoch(), msg);
    return after;
  }

  @Test
  void joinMovesFloorOfQOverSPlusOnePartitionsAllToTheNewcomer() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 300; i++) {
      int q = RandomRings.partitionCount(rnd);
      Ring before = RandomRings.churned(rnd, q, rnd.nextInt(6));
      if (before.members().size() == q) {
        continue;
      }
      String msg = "seed=" + seed + " before=" + before;
      Ring after = joinAndCheck(before, NEWCOMER, msg);
      assertTrue(RingModel.spread(after.ownershipCounts()) <= 1, msg + " after=" + after);
    }
  }

  @Test
  void leaveMovesOnlyTheLeaversPartitions() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 300; i++) {
      Ring before = RandomRings.churned(rnd, RandomRings.partitionCount(rnd), rnd.nextInt(6));
      if (before.members().size() == 1) {
        continue;
      }
      List<NodeId> members = new ArrayList<>(before.members());
      NodeId leaver = members.get(rnd.nextInt(members.size()));
      String msg = "seed=" + seed + " before=" + before + " leaver=" + leaver;
      Ring after = leaveAndCheck(before, leaver, msg);
      assertTrue(RingModel.spread(after.ownershipCounts()) <= 1, msg + " after=" + after);
    }
  }

  @Test
  void balanceStaysWithinOneThroughLongRandomSequencesOfJoinsAndLeaves() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int run = 0; run < 30; run++) {
      int q = RandomRings.partitionCount(rnd);
      Ring ring = Ring.create(q, RandomRings.nodes(rnd, 1 + rnd.nextInt(Math.min(q, 6))));
      for (int step = 0; step < 40; step++) {
        String msg = "seed=" + seed + " run=" + run + " step=" + step + " ring=" + ring;
        int s = ring.members().size();
        boolean join = s == 1 || (s < Math.min(q, 20) && rnd.nextBoolean());
        if (join) {
          ring = joinAndCheck(ring, NodeId.of("j" + run + "-" + step), msg);
        } else {
          ring = leaveAndCheck(ring, new ArrayList<>(ring.members()).get(rnd.nextInt(s)), msg);
        }
        assertTrue(RingModel.spread(ring.ownershipCounts()) <= 1, msg + " -> " + ring);
        assertEquals(RingModel.counts(ring.owners()), ring.ownershipCounts(), msg);
      }
    }
  }

  @Test
  void changesReturnNewRingsAtEpochPlusOneAndLeaveTheOldRingUnchanged() {
    Ring original = Ring.create(64, List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")));
    List<NodeId> ownersBefore = List.copyOf(original.owners());
    byte[] encodedBefore = original.encode();
    Ring joined = original.withNode(NodeId.of("d"));
    Ring left = joined.withoutNode(NodeId.of("a"));
    assertEquals(List.of(1L, 2L, 3L), List.of(original.epoch(), joined.epoch(), left.epoch()));
    assertEquals(ownersBefore, original.owners());
    assertEquals(Ring.decode(encodedBefore), original);
    assertNotEquals(original, joined);
    assertEquals(3, original.members().size());
    assertEquals(4, joined.members().size());
    assertThrows(UnsupportedOperationException.class, () -> original.owners().set(0, null));
    assertThrows(UnsupportedOperationException.class, () -> original.members().clear());
    assertThrows(UnsupportedOperationException.class, () -> original.ownershipCounts().clear());
    assertThrows(UnsupportedOperationException.class, () -> original.partitionsOf(NodeId.of("a"))
        .clear());
  }

  /**
   * Joining a freshly created ring adds no window of N consecutive partitions with a repeated
   * owner: the newcomer's partitions are spread at least N apart (Dynamo 4.2, distinct replicas).
   */
  @Test
  void joiningAFreshRingKeepsNConsecutivePartitionsOnDistinctNodes() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 100; i++) {
      int q = 1 << (4 + rnd.nextInt(7)); // 16 .. 1024
      int n = 2 + rnd.nextInt(3);
      int s = n + rnd.nextInt(Math.min(q - n, 20));
      Ring before = Ring.create(q, RandomRings.nodes(rnd, s));
      Ring after = before.withNode(NEWCOMER);
      assertTrue(RingModel.windowsWithRepeats(after.owners(), n)
              <= RingModel.windowsWithRepeats(before.owners(), n),
          "seed=" + seed + " q=" + q + " s=" + s + " n=" + n + " after=" + after.owners());
    }
  }

  /** A ring decoded from elsewhere may be unbalanced; changes still move the minimum. */
  @Test
  void unbalancedRingsStillJoinAndLeaveWithMinimalMoves() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 200; i++) {
      int q = RandomRings.partitionCount(rnd);
      Ring ring = RandomRings.arbitrary(rnd, q, 1 + rnd.nextInt(Math.min(q - 1, 10)));
      String msg = "seed=" + seed + " ring=" + ring.owners();
      Ring joined = joinAndCheck(ring, NEWCOMER, msg);
      List<NodeId> members = new ArrayList<>(joined.members());
      leaveAndCheck(joined, members.get(rnd.nextInt(members.size())), msg);
    }
  }

  @Test
  void joinAndLeaveRejectChangesThatMakeNoSense() {
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    Ring ring = Ring.create(2, List.of(a));
    assertThrows(IllegalArgumentException.class, () -> ring.withNode(a));
    assertThrows(IllegalArgumentException.class, () -> ring.withoutNode(b));
    assertThrows(IllegalArgumentException.class, () -> ring.withoutNode(a));
    Ring full = ring.withNode(b);
    assertThrows(IllegalArgumentException.class, () -> full.withNode(NodeId.of("c")));
    assertEquals(List.of(b, a), full.owners()); // the newcomer took partition 0
  }
}
