package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The deliberately simple model the tree tests check against: a TreeMap of key bytes to stored
 * value bytes (absent = no entry), and trees computed from it by brute force, without
 * {@link LeafAccumulator} or deltas.
 *
 * <p>Stateless helpers; the maps they return are not thread-safe.
 */
final class Model {
  private Model() {}

  static TreeMap<byte[], byte[]> newMap() {
    return new TreeMap<>(Arrays::compareUnsigned);
  }

  static TreeMap<byte[], byte[]> copy(Map<byte[], byte[]> data) {
    TreeMap<byte[], byte[]> out = newMap();
    out.putAll(data);
    return out;
  }

  /** 1..12 random bytes; short keys collide often enough to exercise overwrites. */
  static byte[] randomKey(Random rnd) {
    byte[] k = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 2 : 12)];
    rnd.nextBytes(k);
    return k;
  }

  /** 0..16 random bytes, standing for an encoded sibling set. */
  static byte[] randomValue(Random rnd) {
    byte[] v = new byte[rnd.nextInt(17)];
    rnd.nextBytes(v);
    return v;
  }

  static TreeMap<byte[], byte[]> randomMap(Random rnd, int size) {
    TreeMap<byte[], byte[]> m = newMap();
    for (int i = 0; i < size; i++) {
      m.put(randomKey(rnd), randomValue(rnd));
    }
    return m;
  }

  /** Leaves of one partition, computed straight from the definition. */
  static long[] scratchLeaves(Map<byte[], byte[]> data, int q, TreeShape shape, int partition) {
    long[] leaves = new long[shape.segments()];
    for (Map.Entry<byte[], byte[]> e : data.entrySet()) {
      long h = KeyHashes.ringHash(e.getKey());
      if (KeyHashes.partitionOf(h, q) == partition) {
        leaves[KeyHashes.segmentOf(h, q, shape)] ^= KeyHashes.entryHash(e.getKey(), e.getValue());
      }
    }
    return leaves;
  }

  /** A built tree for every partition, from scratch. */
  static Map<Integer, PartitionTree> scratchTrees(Map<byte[], byte[]> data, int q, TreeShape s) {
    Map<Integer, PartitionTree> trees = new HashMap<>();
    for (int p = 0; p < q; p++) {
      trees.put(p, PartitionTree.of(s, scratchLeaves(data, q, s, p)));
    }
    return trees;
  }

  /**
   * Writes {@code value} (null = delete) to the model and applies the XOR delta to the tree of the
   * key's partition, as the node does for a write.
   */
  static void write(Map<byte[], byte[]> data, Map<Integer, PartitionTree> trees, int q,
      TreeShape shape, byte[] key, byte[] value) {
    byte[] old = value == null ? data.remove(key) : data.put(key, value);
    long delta = (old == null ? 0 : KeyHashes.entryHash(key, old))
        ^ (value == null ? 0 : KeyHashes.entryHash(key, value));
    long h = KeyHashes.ringHash(key);
    trees.get(KeyHashes.partitionOf(h, q)).apply(KeyHashes.segmentOf(h, q, shape), delta);
  }

  /** A random put, overwrite or delete. */
  static void randomWrite(Random rnd, Map<byte[], byte[]> data, Map<Integer, PartitionTree> trees,
      int q, TreeShape shape) {
    int op = rnd.nextInt(10);
    if (op < 3 && !data.isEmpty()) {
      byte[] existing = data.keySet().stream().skip(rnd.nextInt(data.size())).findFirst().get();
      write(data, trees, q, shape, existing, op == 0 ? null : randomValue(rnd));
    } else {
      write(data, trees, q, shape, randomKey(rnd), op == 9 ? null : randomValue(rnd));
    }
  }

  static void assertSameTree(PartitionTree expected, PartitionTree actual, String ctx) {
    assertArrayEquals(expected.leaves(), actual.leaves(), ctx + ": leaves");
    assertArrayEquals(expected.branches(), actual.branches(), ctx + ": branches");
    assertEquals(expected.root(), actual.root(), ctx + ": root");
  }

  static int randomPartitionCount(Random rnd) {
    return 1 << rnd.nextInt(4);
  }

  static TreeShape randomShape(Random rnd) {
    int segments = 1 << rnd.nextInt(7);
    return new TreeShape(segments, 1 << rnd.nextInt(Integer.numberOfTrailingZeros(segments) + 1));
  }
}
