package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * TreeDiff against brute force over the model (DESIGN.md 7: "descend only into differing
 * subtrees"), what it costs on the wire, and the compare-twice second pass.
 */
class TreeDiffTest {
  private static int[] toArray(Set<Integer> s) {
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  private static int[] allPartitions(int q) {
    int[] ps = new int[q];
    Arrays.setAll(ps, i -> i);
    return ps;
  }

  @Test
  void differingSegmentsAndPartitionsEqualBruteForce() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 300; round++) {
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      Divergence d = Divergence.random(rnd);
      Map<Integer, PartitionTree> local = Model.scratchTrees(d.local, q, shape);
      FakeRemote remote = new FakeRemote(Model.scratchTrees(d.remote, q, shape));
      List<Integer> expectedPartitions = new ArrayList<>();
      for (int p = 0; p < q; p++) {
        String ctx = "seed=" + seed + " round=" + round + " q=" + q + " " + shape + " p=" + p;
        int[] expected = toArray(d.differingSegments(q, shape, p));
        assertArrayEquals(expected, TreeDiff.differingSegments(local.get(p), remote, p), ctx);
        if (expected.length > 0) {
          expectedPartitions.add(p);
        }
      }
      int[] ps = allPartitions(q);
      long[] localRoots = Arrays.stream(ps).mapToLong(p -> local.get(p).root()).toArray();
      assertArrayEquals(expectedPartitions.stream().mapToInt(Integer::intValue).toArray(),
          TreeDiff.differingPartitions(ps, localRoots, remote.roots(ps)),
          "seed=" + seed + " round=" + round);
    }
  }

  /**
   * The whole exchange: differing segments, then each side's listing of those segments' stored
   * keys (a range scan between the segment's prefix bounds), then KeyDiff, finds exactly the
   * keys that differ.
   */
  @Test
  void exchangeFindsExactlyTheDifferingKeys() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 200; round++) {
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      Divergence d = Divergence.random(rnd);
      Map<Integer, PartitionTree> local = Model.scratchTrees(d.local, q, shape);
      FakeRemote remote = new FakeRemote(Model.scratchTrees(d.remote, q, shape));
      Set<byte[]> found = new TreeSet<>(Arrays::compareUnsigned);
      for (int p = 0; p < q; p++) {
        for (int s : TreeDiff.differingSegments(local.get(p), remote, p)) {
          byte[] from = KeyHashes.segmentStart(p, s, q, shape);
          byte[] to = KeyHashes.segmentEnd(p, s, q, shape);
          found.addAll(KeyDiff.differingKeys(listing(d.local, from, to),
              listing(d.remote, from, to)));
        }
      }
      assertEquals(hex(d.differingKeys()), hex(found), "seed=" + seed + " round=" + round);
    }
  }

  /** What a node's scan of stored keys (prefix || key) in [from, to) would list. */
  private static List<KeyHash> listing(Map<byte[], byte[]> data, byte[] from, byte[] to) {
    List<KeyHash> out = new ArrayList<>();
    data.forEach((k, v) -> {
      byte[] prefix = KeyHashes.prefix(KeyHashes.ringHash(k));
      if (Arrays.compareUnsigned(from, prefix) <= 0
          && (to == null || Arrays.compareUnsigned(prefix, to) < 0)) {
        out.add(new KeyHash(k, KeyHashes.entryHash(k, v)));
      }
    });
    return out;
  }

  private static List<String> hex(Set<byte[]> keys) {
    return keys.stream().map(k -> java.util.HexFormat.of().formatHex(k)).toList();
  }

  @Test
  void identicalTreesCostOneRootAndNoBranchOrLeafCalls() {
    long seed = Seeds.pick();
    TreeMap<byte[], byte[]> data = Model.randomMap(new Random(seed), 2000);
    int q = 8;
    Map<Integer, PartitionTree> local = Model.scratchTrees(data, q, TreeShape.DEFAULT);
    FakeRemote remote = new FakeRemote(Model.scratchTrees(data, q, TreeShape.DEFAULT));
    for (int p = 0; p < q; p++) {
      assertArrayEquals(new int[0], TreeDiff.differingSegments(local.get(p), remote, p));
    }
    assertEquals(q, remote.rootCalls, "seed=" + seed);
    assertEquals(0, remote.branchCalls, "seed=" + seed);
    assertEquals(0, remote.leafCalls, "seed=" + seed);
    assertEquals(q, remote.valuesSent, "seed=" + seed);
  }

  @Test
  void oneDifferingKeyCostsOneBranchListAndOneBranchOfLeaves() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    TreeMap<byte[], byte[]> data = Model.randomMap(rnd, 2000);
    int q = 4;
    TreeShape shape = TreeShape.DEFAULT;
    Map<Integer, PartitionTree> local = Model.scratchTrees(data, q, shape);
    byte[] extra = Model.randomKey(rnd);
    data.put(extra, Model.randomValue(rnd)); // only the remote has it (or a new value)
    FakeRemote remote = new FakeRemote(Model.scratchTrees(data, q, shape));
    long h = KeyHashes.ringHash(extra);
    int p = KeyHashes.partitionOf(h, q);
    assertArrayEquals(new int[] {KeyHashes.segmentOf(h, q, shape)},
        TreeDiff.differingSegments(local.get(p), remote, p), "seed=" + seed);
    assertEquals(1, remote.branchCalls, "seed=" + seed);
    assertEquals(1, remote.leafCalls, "seed=" + seed);
    assertEquals(1, remote.branchesOfLeavesAsked, "seed=" + seed);
    assertEquals(1 + shape.branches() + shape.fanout(), remote.valuesSent, "seed=" + seed);
  }

  /** One branch is the root, so no branch call; fanout 1 makes branches the leaves. */
  @Test
  void degenerateShapesSkipTheRedundantLevel() {
    byte[] key = {42};
    for (TreeShape shape : new TreeShape[] {new TreeShape(16, 16), new TreeShape(16, 1)}) {
      TreeMap<byte[], byte[]> data = Model.newMap();
      Map<Integer, PartitionTree> local = Model.scratchTrees(data, 1, shape);
      data.put(key, new byte[] {1});
      FakeRemote remote = new FakeRemote(Model.scratchTrees(data, 1, shape));
      int segment = KeyHashes.segmentOf(KeyHashes.ringHash(key), 1, shape);
      assertArrayEquals(new int[] {segment}, TreeDiff.differingSegments(local.get(0), remote, 0));
      assertEquals(shape.fanout() == 16 ? 0 : 1, remote.branchCalls, shape.toString());
      assertEquals(shape.fanout() == 16 ? 1 : 0, remote.leafCalls, shape.toString());
    }
  }

  /**
   * Compare twice: between the passes some differences heal (writes in flight arrive) and new
   * ones appear; the second pass keeps exactly the candidates that still differ, asking only for
   * the leaves of the candidates' branches.
   */
  @Test
  void secondPassKeepsOnlyCandidatesThatStillDiffer() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 200; round++) {
      String ctx = "seed=" + seed + " round=" + round;
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      Divergence d = Divergence.random(rnd);
      Map<Integer, PartitionTree> local = Model.scratchTrees(d.local, q, shape);
      Map<Integer, PartitionTree> remoteTrees = Model.scratchTrees(d.remote, q, shape);
      FakeRemote remote = new FakeRemote(remoteTrees);
      int p = rnd.nextInt(q);
      int[] candidates = TreeDiff.differingSegments(local.get(p), remote, p);
      for (byte[] k : d.differingKeys()) { // some in-flight writes land locally
        if (rnd.nextBoolean()) {
          Model.write(d.local, local, q, shape, k, d.remote.get(k));
        }
      }
      for (int i = rnd.nextInt(3); i > 0; i--) { // new writes reach the remote only
        Model.write(d.remote, remoteTrees, q, shape, Model.randomKey(rnd), Model.randomValue(rnd));
      }
      Set<Integer> now = d.differingSegments(q, shape, p);
      int[] expected = Arrays.stream(candidates).filter(now::contains).toArray();
      FakeRemote counting = new FakeRemote(remoteTrees);
      assertArrayEquals(expected,
          TreeDiff.stillDiffering(local.get(p), counting, p, candidates), ctx);
      long branches = Arrays.stream(candidates).map(shape::branchOf).distinct().count();
      assertEquals(candidates.length == 0 ? 0 : 1, counting.leafCalls, ctx);
      assertEquals(branches, counting.branchesOfLeavesAsked, ctx);
      assertEquals(0, counting.rootCalls + counting.branchCalls, ctx);
    }
  }

  @Test
  void secondPassTakesCandidatesInAnyOrderWithRepeats() {
    TreeShape shape = new TreeShape(8, 2);
    PartitionTree local = PartitionTree.of(shape, new long[8]);
    PartitionTree other = PartitionTree.of(shape, new long[] {0, 1, 0, 0, 0, 1, 1, 0});
    FakeRemote remote = new FakeRemote(Map.of(0, other));
    assertArrayEquals(new int[] {1, 5},
        TreeDiff.stillDiffering(local, remote, 0, new int[] {5, 1, 5, 4}));
    assertEquals(2, remote.branchesOfLeavesAsked);
    assertThrows(IllegalArgumentException.class,
        () -> TreeDiff.stillDiffering(local, remote, 0, new int[] {8}));
  }

  @Test
  void answersOfTheWrongSizeAreAShapeMismatch() {
    PartitionTree local = PartitionTree.of(new TreeShape(16, 2), new long[16]);
    long[] leaves = new long[16];
    leaves[3] = 1;
    FakeRemote remote = new FakeRemote(Map.of(0, PartitionTree.of(new TreeShape(16, 4), leaves)));
    assertEquals("remote answered 4 branches of partition 0, the local shape implies 8",
        assertThrows(ShapeMismatchException.class,
            () -> TreeDiff.differingSegments(local, remote, 0)).getMessage());
    assertThrows(ShapeMismatchException.class,
        () -> TreeDiff.stillDiffering(local, remote, 0, new int[] {3}));
    assertEquals("remote answered 1 roots for 2 partitions",
        assertThrows(ShapeMismatchException.class,
            () -> TreeDiff.differingPartitions(new int[] {0, 1}, new long[2], new long[1]))
            .getMessage());
  }
}
