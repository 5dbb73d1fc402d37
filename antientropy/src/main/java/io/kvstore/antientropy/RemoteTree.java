package io.kvstore.antientropy;

/**
 * The remote side of a tree comparison, as {@link TreeDiff} sees it: three questions about a
 * co-replica's trees (riak_core hashtree style, the remote as a function), so the diff does not
 * care about transport. The node implements it over its replica service; tests over a local
 * {@link PartitionTree}.
 *
 * <p>Implementations answer from trees of the same partition count and {@link TreeShape} as the
 * local ones; an answer of the wrong length is reported by {@link TreeDiff} as a
 * {@link ShapeMismatchException}. Transport failures are the implementation's to throw (its own
 * unchecked types) and pass through TreeDiff untouched. Thread safety is the implementation's.
 */
public interface RemoteTree {
  /** The root of each requested partition, in the order asked. */
  long[] roots(int[] partitions);

  /** All {@code segments / fanout} branches of one partition. */
  long[] branches(int partition);

  /** The {@code fanout} leaves of each given branch, concatenated in the order asked. */
  long[] leaves(int partition, int[] branchIds);
}
