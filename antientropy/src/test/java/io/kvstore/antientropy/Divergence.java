package io.kvstore.antientropy;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Two replicas' data for the diff tests: a common random base, then a random number of
 * divergent keys (none, one, a few, or many), each only on one side or on both with different
 * values. Also the brute-force answers the diff must match. Not thread-safe.
 */
final class Divergence {
  final TreeMap<byte[], byte[]> local;
  final TreeMap<byte[], byte[]> remote;

  private Divergence(TreeMap<byte[], byte[]> local, TreeMap<byte[], byte[]> remote) {
    this.local = local;
    this.remote = remote;
  }

  static Divergence random(Random rnd) {
    TreeMap<byte[], byte[]> base = Model.randomMap(rnd, rnd.nextInt(400));
    TreeMap<byte[], byte[]> local = Model.copy(base);
    TreeMap<byte[], byte[]> remote = Model.copy(base);
    int[] sizes = {0, 1, 2 + rnd.nextInt(4), 20 + rnd.nextInt(200)};
    int changes = sizes[rnd.nextInt(sizes.length)];
    for (int i = 0; i < changes; i++) {
      TreeMap<byte[], byte[]> side = rnd.nextBoolean() ? local : remote;
      switch (rnd.nextInt(3)) {
        case 0 -> side.put(Model.randomKey(rnd), Model.randomValue(rnd)); // new on one side
        case 1 -> { // deleted on one side
          if (!side.isEmpty()) {
            side.remove(side.keySet().stream().skip(rnd.nextInt(side.size())).findFirst().get());
          }
        }
        default -> { // same key, another value
          if (!side.isEmpty()) {
            byte[] k = side.keySet().stream().skip(rnd.nextInt(side.size())).findFirst().get();
            side.put(k, Model.randomValue(rnd));
          }
        }
      }
    }
    return new Divergence(local, remote);
  }

  /** Keys absent on one side or with different values, by brute force. */
  Set<byte[]> differingKeys() {
    Set<byte[]> out = new TreeSet<>(Arrays::compareUnsigned);
    out.addAll(local.keySet());
    out.addAll(remote.keySet());
    out.removeIf(k -> local.containsKey(k) && remote.containsKey(k)
        && Arrays.equals(local.get(k), remote.get(k)));
    return out;
  }

  /** The sorted segments of a partition holding a differing key, by brute force. */
  Set<Integer> differingSegments(int q, TreeShape shape, int partition) {
    Set<Integer> out = new TreeSet<>();
    for (byte[] k : differingKeys()) {
      long h = KeyHashes.ringHash(k);
      if (KeyHashes.partitionOf(h, q) == partition) {
        out.add(KeyHashes.segmentOf(h, q, shape));
      }
    }
    return out;
  }

  static Map<Integer, PartitionTree> trees(Map<byte[], byte[]> data, int q, TreeShape shape) {
    return Model.scratchTrees(data, q, shape);
  }
}
