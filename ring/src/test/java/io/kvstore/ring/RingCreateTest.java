package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Ring#create}: the initial, balanced, round-robin assignment. */
class RingCreateTest {
  private static final NodeId A = NodeId.of("a");
  private static final NodeId B = NodeId.of("b");
  private static final NodeId C = NodeId.of("c");

  @Test
  void createAssignsRoundRobinBySortedIdAtEpochOne() {
    Ring ring = Ring.create(8, List.of(C, A, B));
    assertEquals(List.of(A, B, C, A, B, C, A, B), ring.owners());
    assertEquals(Ring.INITIAL_EPOCH, ring.epoch());
    assertEquals(8, ring.partitionCount());
    assertEquals(List.of(A, B, C), List.copyOf(ring.members()));
    assertEquals(List.of(0, 3, 6), ring.partitionsOf(A));
    assertEquals(List.of(), ring.partitionsOf(NodeId.of("stranger")));
  }

  @Test
  void createBalancesWithinOneAndAgreesWithTheModel() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 200; i++) {
      int q = RandomRings.partitionCount(rnd);
      int s = 1 + rnd.nextInt(Math.min(q, 40));
      Ring ring = Ring.create(q, RandomRings.nodes(rnd, s));
      String msg = "seed=" + seed + " q=" + q + " s=" + s;
      assertTrue(RingModel.spread(ring.ownershipCounts()) <= 1, msg);
      assertEquals(RingModel.counts(ring.owners()), ring.ownershipCounts(), msg);
      assertEquals(s, ring.members().size(), msg);
      for (NodeId n : ring.members()) {
        int owned = ring.partitionsOf(n).size();
        assertTrue(owned == q / s || owned == (q + s - 1) / s, msg);
        assertEquals(ring.ownershipCounts().get(n), ring.partitionsOf(n).size(), msg);
      }
    }
  }

  @Test
  void createDependsOnlyOnTheSetOfNodesNotTheirOrder() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    List<NodeId> nodes = RandomRings.nodes(rnd, 7);
    Ring first = Ring.create(64, nodes);
    List<NodeId> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, rnd);
    assertEquals(first, Ring.create(64, shuffled), "seed=" + seed);
    assertEquals(first, Ring.create(64, new HashSet<>(shuffled)), "seed=" + seed);
  }

  /** Dynamo 4.2: consecutive partitions on distinct nodes, so N replicas come from N steps. */
  @Test
  void anyNConsecutivePartitionsOfAFreshRingHaveDistinctOwners() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 100; i++) {
      int q = RandomRings.partitionCount(rnd);
      int s = 1 + rnd.nextInt(Math.min(q, 12));
      Ring ring = Ring.create(q, RandomRings.nodes(rnd, s));
      int n = Math.min(s, 1 + rnd.nextInt(5));
      for (int p = 0; p + n <= q; p++) { // windows that do not wrap past partition Q-1
        assertEquals(ring.owners().subList(p, p + n), ring.preferenceList(p, n),
            "seed=" + seed + " q=" + q + " s=" + s + " p=" + p);
      }
    }
  }

  @Test
  void createRejectsEmptyDuplicateOrTooManyNodesAndBadQ() {
    assertThrows(IllegalArgumentException.class, () -> Ring.create(8, List.of()));
    assertThrows(IllegalArgumentException.class, () -> Ring.create(8, List.of(A, B, A)));
    assertThrows(IllegalArgumentException.class, () -> Ring.create(2, List.of(A, B, C)));
    assertThrows(IllegalArgumentException.class, () -> Ring.create(6, List.of(A)));
    assertThrows(IllegalArgumentException.class, () -> Ring.fromAssignment(-1, List.of(A)));
    assertThrows(IllegalArgumentException.class, () -> Ring.fromAssignment(0, List.of(A, B, C)));
    assertEquals(List.of(A), Ring.create(1, List.of(A)).preferenceList(0, 3));
  }
}
