package io.kvstore.antientropy;

import java.util.Map;

/**
 * A {@link RemoteTree} answered from local trees, counting calls and values sent, so tests can
 * check what an exchange would cost on the wire. Not thread-safe.
 */
final class FakeRemote implements RemoteTree {
  private final Map<Integer, PartitionTree> trees;
  int rootCalls;
  int branchCalls;
  int leafCalls;
  int branchesOfLeavesAsked;
  long valuesSent;

  FakeRemote(Map<Integer, PartitionTree> trees) {
    this.trees = trees;
  }

  @Override
  public long[] roots(int[] partitions) {
    rootCalls++;
    long[] out = new long[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      out[i] = trees.get(partitions[i]).root();
    }
    valuesSent += out.length;
    return out;
  }

  @Override
  public long[] branches(int partition) {
    branchCalls++;
    long[] out = trees.get(partition).branches();
    valuesSent += out.length;
    return out;
  }

  @Override
  public long[] leaves(int partition, int[] branchIds) {
    leafCalls++;
    branchesOfLeavesAsked += branchIds.length;
    long[] out = trees.get(partition).leaves(branchIds);
    valuesSent += out.length;
    return out;
  }
}
