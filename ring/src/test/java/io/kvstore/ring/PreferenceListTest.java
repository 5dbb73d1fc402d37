package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preference lists (Dynamo 4.3) and sloppy-quorum fallbacks (Dynamo 4.6), against the model. */
class PreferenceListTest {
  private static Ring randomRing(Random rnd) {
    int q = RandomRings.partitionCount(rnd);
    return rnd.nextBoolean()
        ? RandomRings.arbitrary(rnd, q, 1 + rnd.nextInt(Math.min(q, 10)))
        : RandomRings.churned(rnd, q, rnd.nextInt(8));
  }

  @Test
  void preferenceListEqualsTheClockwiseWalkModel() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 150; i++) {
      Ring ring = randomRing(rnd);
      int s = ring.members().size();
      for (int p = 0; p < ring.partitionCount(); p++) {
        for (int n = 1; n <= s + 1; n++) {
          assertEquals(RingModel.walk(ring.owners(), p, n), ring.preferenceList(p, n),
              "seed=" + seed + " ring=" + ring + " p=" + p + " n=" + n);
        }
      }
    }
  }

  @Test
  void replicasAreDistinctNodesExactlyNOfThemWhenTheRingHasN() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 150; i++) {
      Ring ring = randomRing(rnd);
      int s = ring.members().size();
      int n = 1 + rnd.nextInt(5);
      for (int p = 0; p < ring.partitionCount(); p++) {
        List<NodeId> pref = ring.preferenceList(p, n);
        String msg = "seed=" + seed + " ring=" + ring + " p=" + p + " n=" + n;
        assertEquals(pref.size(), new HashSet<>(pref).size(), msg);
        assertEquals(Math.min(n, s), pref.size(), msg);
        assertEquals(ring.ownerOf(p), pref.get(0), msg);
        assertTrue(ring.members().containsAll(pref), msg);
      }
    }
  }

  @Test
  void fallbacksStartWithThePrimariesAndListEveryMemberOnce() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 100; i++) {
      Ring ring = randomRing(rnd);
      int n = 1 + rnd.nextInt(4);
      for (int p = 0; p < ring.partitionCount(); p++) {
        List<NodeId> all = ring.preferenceListWithFallbacks(p);
        List<NodeId> primaries = ring.preferenceList(p, n);
        String msg = "seed=" + seed + " ring=" + ring + " p=" + p;
        assertEquals(primaries, all.subList(0, primaries.size()), msg);
        assertEquals(ring.members(), new HashSet<>(all), msg);
        assertEquals(ring.members().size(), all.size(), msg);
      }
    }
  }

  @Test
  void aKeysPreferenceListIsThatOfItsPartition() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    Ring ring = RandomRings.churned(rnd, 256, 6);
    for (int i = 0; i < 1000; i++) {
      byte[] key = ("k" + rnd.nextLong()).getBytes(StandardCharsets.UTF_8);
      int p = ring.partitionOf(key);
      assertEquals(new Partitioner(256).partitionOf(key), p, "seed=" + seed);
      assertTrue(ring.hashRangeOf(p).contains(Partitioner.hashOf(key)), "seed=" + seed);
      assertEquals(ring.preferenceList(p, 3), ring.preferenceList(key, 3), "seed=" + seed);
    }
  }

  @Test
  void partitionsReplicatedByANodeAreThoseWhosePreferenceListHoldsIt() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 60; i++) {
      Ring ring = randomRing(rnd);
      int n = 1 + rnd.nextInt(4);
      int total = 0;
      for (NodeId node : ring.members()) {
        List<Integer> list = ring.partitionsReplicatedBy(node, n);
        Set<Integer> replicated = new HashSet<>(list);
        total += list.size();
        for (int p = 0; p < ring.partitionCount(); p++) {
          assertEquals(RingModel.walk(ring.owners(), p, n).contains(node), replicated.contains(p),
              "seed=" + seed + " ring=" + ring + " node=" + node + " p=" + p + " n=" + n);
        }
        assertTrue(replicated.containsAll(ring.partitionsOf(node)), "seed=" + seed);
      }
      int expected = ring.partitionCount() * Math.min(n, ring.members().size());
      assertEquals(expected, total, "seed=" + seed + " every partition has min(N, S) replicas");
    }
    assertEquals(List.of(), Ring.create(8, List.of(NodeId.of("a")))
        .partitionsReplicatedBy(NodeId.of("b"), 3));
  }

  @Test
  void rejectsPartitionsOutOfRangeAndNonPositiveReplicaCounts() {
    Ring ring = Ring.create(8, List.of(NodeId.of("a"), NodeId.of("b")));
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(8, 2));
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(-1, 2));
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceList(0, 0));
    assertThrows(IllegalArgumentException.class, () -> ring.preferenceListWithFallbacks(8));
    assertThrows(IllegalArgumentException.class, () -> ring.ownerOf(8));
  }
}
