package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** LeafAccumulator folds a partition scan into the same leaves as the model's definition. */
class LeafAccumulatorTest {
  @Test
  void foldingAScanEqualsTheModelsLeaves() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 50; round++) {
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      TreeMap<byte[], byte[]> data = Model.randomMap(rnd, rnd.nextInt(200));
      for (int p = 0; p < q; p++) {
        LeafAccumulator acc = new LeafAccumulator(q, shape, p);
        int n = 0;
        for (Map.Entry<byte[], byte[]> e : data.entrySet()) {
          if (KeyHashes.partitionOf(KeyHashes.ringHash(e.getKey()), q) == p) {
            acc.add(e.getKey(), e.getValue());
            n++;
          }
        }
        String ctx = "seed=" + seed + " round=" + round + " p=" + p;
        assertArrayEquals(Model.scratchLeaves(data, q, shape, p), acc.leaves(), ctx);
        assertEquals(n, acc.count(), ctx);
      }
    }
  }

  @Test
  void aKeyFromAnotherPartitionIsRefused() {
    LeafAccumulator acc = new LeafAccumulator(4, new TreeShape(4, 2), 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> acc.add(0xC000_0000_0000_0000L, 7));
    assertTrue(e.getMessage().contains("is in partition 3, this accumulator folds partition 1"),
        e.getMessage());
    acc.add(0x5000_0000_0000_0000L, 7); // partition 1, segment 1
    assertArrayEquals(new long[] {0, 7, 0, 0}, acc.leaves());
    assertThrows(IllegalArgumentException.class, () -> new LeafAccumulator(4, new TreeShape(1, 1), 4));
  }
}
