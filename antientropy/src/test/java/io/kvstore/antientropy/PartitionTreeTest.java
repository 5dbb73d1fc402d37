package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** PartitionTree: XOR levels, incremental deltas against the model, rebuild under writes. */
class PartitionTreeTest {
  private static final TreeShape SHAPE = new TreeShape(8, 4);

  @Test
  void newTreeIsAllZeroAndNotBuilt() {
    PartitionTree t = new PartitionTree(SHAPE);
    assertFalse(t.built());
    assertEquals(0, t.root());
    assertArrayEquals(new long[8], t.leaves());
    assertArrayEquals(new long[2], t.branches());
    t.markBuilt();
    assertTrue(t.built());
  }

  @Test
  void applyChangesOneLeafItsBranchAndTheRoot() {
    PartitionTree t = new PartitionTree(SHAPE);
    t.apply(5, 0xF0);
    t.apply(6, 0x0F);
    t.apply(0, 0x100);
    assertArrayEquals(new long[] {0x100, 0, 0, 0, 0, 0xF0, 0x0F, 0}, t.leaves());
    assertArrayEquals(new long[] {0x100, 0xFF}, t.branches());
    assertEquals(0x1FF, t.root());
    assertEquals(0xF0, t.leaf(5));
    t.apply(5, 0xF0); // the same delta again undoes it
    assertEquals(0x10F, t.root());
  }

  @Test
  void ofComputesBranchesAndRootAndIsBuilt() {
    long[] leaves = {1, 2, 4, 8, 16, 32, 64, 128};
    PartitionTree t = PartitionTree.of(SHAPE, leaves);
    assertTrue(t.built());
    assertArrayEquals(new long[] {15, 240}, t.branches());
    assertEquals(255, t.root());
    leaves[0] = 99; // of() copied
    assertEquals(1, t.leaf(0));
    assertEquals("leaves has 3 entries, the shape TreeShape[segments=8, fanout=4] has 8 segments",
        assertThrows(IllegalArgumentException.class, () -> PartitionTree.of(SHAPE, new long[3]))
            .getMessage());
  }

  @Test
  void leavesOfBranchesAreConcatenatedInTheOrderAsked() {
    PartitionTree t = PartitionTree.of(SHAPE, new long[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertArrayEquals(new long[] {5, 6, 7, 8, 1, 2, 3, 4}, t.leaves(new int[] {1, 0}));
    assertArrayEquals(new long[0], t.leaves(new int[0]));
    assertThrows(IllegalArgumentException.class, () -> t.leaves(new int[] {2}));
    t.leaves()[0] = 42;
    t.branches()[0] = 42;
    assertEquals(1, t.leaf(0)); // handed-out arrays are copies
    assertEquals(1 ^ 2 ^ 3 ^ 4, t.branches()[0]);
  }

  /** Any sequence of puts, overwrites and deletes as deltas equals a build of the final map. */
  @Test
  void incrementalDeltasEqualAFromScratchBuildOfTheFinalMap() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 100; round++) {
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      TreeMap<byte[], byte[]> data = Model.randomMap(rnd, rnd.nextInt(50));
      Map<Integer, PartitionTree> trees = Model.scratchTrees(data, q, shape);
      int writes = rnd.nextInt(300);
      for (int i = 0; i < writes; i++) {
        Model.randomWrite(rnd, data, trees, q, shape);
      }
      Map<Integer, PartitionTree> expected = Model.scratchTrees(data, q, shape);
      for (int p = 0; p < q; p++) {
        Model.assertSameTree(expected.get(p), trees.get(p),
            "seed=" + seed + " round=" + round + " q=" + q + " " + shape + " p=" + p);
      }
    }
  }

  /**
   * A rebuild begun on a snapshot, with writes continuing into the live tree, ends equal to a
   * build of the final map, even when the live tree had silently diverged before the rebuild.
   */
  @Test
  void rebuildDuringWritesEqualsAFromScratchBuildOfTheFinalMap() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 100; round++) {
      String ctx = "seed=" + seed + " round=" + round;
      int q = Model.randomPartitionCount(rnd);
      TreeShape shape = Model.randomShape(rnd);
      TreeMap<byte[], byte[]> data = Model.randomMap(rnd, rnd.nextInt(100));
      Map<Integer, PartitionTree> trees = Model.scratchTrees(data, q, shape);
      int p = rnd.nextInt(q);
      if (rnd.nextBoolean()) { // silent divergence: a lost or garbled update
        trees.get(p).apply(rnd.nextInt(shape.segments()), rnd.nextLong());
      }
      // Under the writers' lock: snapshot and begin together.
      TreeMap<byte[], byte[]> snapshot = Model.copy(data);
      PartitionTree.Rebuild rebuild = trees.get(p).beginRebuild();
      assertTrue(trees.get(p).rebuilding(), ctx);
      int writes = rnd.nextInt(200);
      for (int i = 0; i < writes; i++) {
        Model.randomWrite(rnd, data, trees, q, shape);
      }
      long[] scanned = Model.scratchLeaves(snapshot, q, shape, p);
      trees.get(p).finishRebuild(rebuild, scanned);
      assertFalse(trees.get(p).rebuilding(), ctx);
      assertTrue(trees.get(p).built(), ctx);
      Model.assertSameTree(Model.scratchTrees(data, q, shape).get(p), trees.get(p), ctx);
    }
  }

  @Test
  void onlyOneRebuildAtATimeAndOnlyTheOpenOneCanBeClosed() {
    PartitionTree t = new PartitionTree(SHAPE);
    PartitionTree.Rebuild first = t.beginRebuild();
    assertEquals("a rebuild of this tree is already open",
        assertThrows(IllegalStateException.class, t::beginRebuild).getMessage());
    PartitionTree.Rebuild foreign = new PartitionTree(SHAPE).beginRebuild();
    assertThrows(IllegalStateException.class, () -> t.finishRebuild(foreign, new long[8]));
    assertThrows(IllegalArgumentException.class, () -> t.finishRebuild(first, new long[7]));
    t.abortRebuild(first);
    assertFalse(t.built());
    assertEquals("cannot finish a rebuild that is not the open rebuild of this tree",
        assertThrows(IllegalStateException.class, () -> t.finishRebuild(first, new long[8]))
            .getMessage());
    assertThrows(IllegalStateException.class, () -> t.abortRebuild(first));
    PartitionTree.Rebuild second = t.beginRebuild();
    t.finishRebuild(second, new long[8]);
    assertTrue(t.built());
  }

  /** An aborted rebuild leaves the live tree with every write applied, and stops recording. */
  @Test
  void abortedRebuildKeepsTheLiveTree() {
    PartitionTree t = PartitionTree.of(SHAPE, new long[] {1, 0, 0, 0, 0, 0, 0, 0});
    PartitionTree.Rebuild r = t.beginRebuild();
    t.apply(3, 8);
    t.abortRebuild(r);
    t.apply(4, 16);
    PartitionTree.Rebuild next = t.beginRebuild();
    t.apply(5, 32);
    t.finishRebuild(next, new long[8]);
    assertArrayEquals(new long[] {0, 0, 0, 0, 0, 32, 0, 0}, t.leaves()); // only next's pending
  }

  /** A rebuild reports the segments where the tree had drifted from storage, and only those. */
  @Test
  void aRebuildCountsTheSegmentsThatDrifted() {
    PartitionTree t = new PartitionTree(SHAPE);
    t.apply(1, 0x11);
    t.apply(5, 0x55);
    long[] storage = t.leaves();
    PartitionTree.Rebuild same = t.beginRebuild();
    t.apply(2, 0x22); // a write during the rebuild: pending, not drift
    assertEquals(0, t.finishRebuild(same, storage), "a tree that matched storage");
    storage[2] ^= 0x22;
    storage[5] = 0; // the keys of segment 5 were lost from storage
    assertEquals(1, t.finishRebuild(t.beginRebuild(), storage));
    assertEquals(0, t.leaf(5));
  }
}
