package io.kvstore.antientropy;

import java.util.Arrays;
import java.util.Objects;

/**
 * Compares local partition trees with a {@link RemoteTree}, level by level: roots, then branches
 * only where roots differ, then leaves only of differing branches (DESIGN.md section 7). The
 * answer is a set of segments whose keys the caller then lists and exchanges ({@link KeyDiff}),
 * so the traffic grows with the number of differences, not with the data.
 *
 * <p>Stateless; thread-safe as far as the arguments are. Never sleeps, never retries: for the
 * "compare twice" rule the caller runs {@link #differingSegments}, pauses, then
 * {@link #stillDiffering} on its result, and repairs only what differs both times, so writes in
 * flight between replicas are not "repaired". Local and remote levels are read at slightly
 * different moments; a write landing in between shows up as a spurious or a missed difference
 * that the second pass or the next exchange settles.
 */
public final class TreeDiff {
  private static final int[] NONE = new int[0];

  private TreeDiff() {}

  /** The partitions whose local and remote roots differ, in the order given. */
  public static int[] differingPartitions(int[] partitions, long[] localRoots, long[] remoteRoots) {
    if (localRoots.length != partitions.length) {
      throw new IllegalArgumentException(localRoots.length + " local roots for "
          + partitions.length + " partitions");
    }
    if (remoteRoots.length != partitions.length) {
      throw new ShapeMismatchException("remote answered " + remoteRoots.length + " roots for "
          + partitions.length + " partitions");
    }
    int n = 0;
    int[] out = new int[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      if (localRoots[i] != remoteRoots[i]) {
        out[n++] = partitions[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** The sorted segments of {@code partition} whose leaves differ; asks the remote root first. */
  public static int[] differingSegments(PartitionTree local, RemoteTree remote, int partition) {
    long[] roots = remote.roots(new int[] {partition});
    if (roots.length != 1) {
      throw new ShapeMismatchException(
          "remote answered " + roots.length + " roots for 1 partition");
    }
    return differingSegments(local, remote, partition, roots[0]);
  }

  /**
   * As {@link #differingSegments(PartitionTree, RemoteTree, int)}, with the remote root already
   * known (from a batched {@link RemoteTree#roots} call). Fetches no branches when the roots are
   * equal, and leaves only of branches that differ. With a single branch its value is the root,
   * so branches are not fetched; with fanout 1 branches are the leaves, so leaves are not.
   */
  public static int[] differingSegments(
      PartitionTree local, RemoteTree remote, int partition, long remoteRoot) {
    Objects.requireNonNull(remote, "remote");
    if (local.root() == remoteRoot) {
      return NONE;
    }
    TreeShape shape = local.shape();
    int[] branchIds;
    if (shape.branches() == 1) {
      branchIds = new int[] {0};
    } else {
      long[] remoteBranches = remote.branches(partition);
      expectLength(remoteBranches, shape.branches(), "branches", partition);
      branchIds = differing(local.branches(), remoteBranches);
      if (shape.fanout() == 1 || branchIds.length == 0) {
        return branchIds;
      }
    }
    return leafDifferences(local, remote, partition, branchIds, null);
  }

  /**
   * The second pass: of {@code candidates} (segments found differing by an earlier pass), the
   * sorted, distinct ones whose leaves still differ. Re-fetches only the leaves of the
   * candidates' branches; no call at all for no candidates.
   */
  public static int[] stillDiffering(
      PartitionTree local, RemoteTree remote, int partition, int[] candidates) {
    Objects.requireNonNull(remote, "remote");
    TreeShape shape = local.shape();
    int[] wanted = Arrays.stream(candidates).sorted().distinct().toArray();
    if (wanted.length == 0) {
      return NONE;
    }
    int[] branchIds = Arrays.stream(wanted).map(shape::branchOf).distinct().toArray();
    boolean[] isCandidate = new boolean[shape.segments()];
    for (int s : wanted) {
      isCandidate[s] = true;
    }
    return leafDifferences(local, remote, partition, branchIds, isCandidate);
  }

  /** Segments under {@code branchIds} (sorted) whose leaves differ, limited to a filter if any. */
  private static int[] leafDifferences(PartitionTree local, RemoteTree remote, int partition,
      int[] branchIds, boolean[] filter) {
    int fanout = local.shape().fanout();
    long[] remoteLeaves = remote.leaves(partition, branchIds);
    expectLength(remoteLeaves, branchIds.length * fanout, "leaves", partition);
    long[] localLeaves = local.leaves(branchIds);
    int n = 0;
    int[] out = new int[localLeaves.length];
    for (int i = 0; i < localLeaves.length; i++) {
      int segment = branchIds[i / fanout] * fanout + i % fanout;
      if (localLeaves[i] != remoteLeaves[i] && (filter == null || filter[segment])) {
        out[n++] = segment;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int[] differing(long[] local, long[] remote) {
    int n = 0;
    int[] out = new int[local.length];
    for (int i = 0; i < local.length; i++) {
      if (local[i] != remote[i]) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static void expectLength(long[] answer, int expected, String what, int partition) {
    if (answer.length != expected) {
      throw new ShapeMismatchException("remote answered " + answer.length + " " + what
          + " of partition " + partition + ", the local shape implies " + expected);
    }
  }
}
