package io.kvstore.antientropy;

/**
 * The shape of every partition's hash tree: {@code segments} leaves per partition, grouped into
 * {@code segments / fanout} branches of {@code fanout} consecutive leaves each, under one root.
 *
 * <p>An immutable value, thread-safe. Invariants: {@code segments} is a power of two in
 * [1, 65536]; {@code fanout} is a power of two in [1, segments], so it divides {@code segments}.
 * The shape is part of the persisted tree file and of the exchange contract: two replicas can
 * compare trees only if their shapes (and partition counts) are equal.
 */
public record TreeShape(int segments, int fanout) {
  /** Largest segment count: 2^16, so a segment id fits the 16 hash bits below the partition. */
  public static final int MAX_SEGMENTS = 1 << 16;

  /** 1024 segments of 32-leaf branches: 32 branches, each leaf about 1/1024 of a partition. */
  public static final TreeShape DEFAULT = new TreeShape(1024, 32);

  public TreeShape {
    if (segments < 1 || segments > MAX_SEGMENTS || Integer.bitCount(segments) != 1) {
      throw new IllegalArgumentException(
          "segments must be a power of two in [1, " + MAX_SEGMENTS + "], got " + segments);
    }
    if (fanout < 1 || fanout > segments || Integer.bitCount(fanout) != 1) {
      throw new IllegalArgumentException(
          "fanout must be a power of two in [1, segments = " + segments + "], got " + fanout);
    }
  }

  /** Number of branches: {@code segments / fanout}. */
  public int branches() {
    return segments / fanout;
  }

  /** {@code log2(segments)}: how many hash bits below the partition bits select a segment. */
  public int segmentBits() {
    return Integer.numberOfTrailingZeros(segments);
  }

  /** The branch holding {@code segment}: {@code segment / fanout}. */
  public int branchOf(int segment) {
    checkSegment(segment);
    return segment / fanout;
  }

  /** The first segment of {@code branch}; its leaves are {@code [first, first + fanout)}. */
  public int firstSegmentOf(int branch) {
    checkBranch(branch);
    return branch * fanout;
  }

  void checkSegment(int segment) {
    if (segment < 0 || segment >= segments) {
      throw new IllegalArgumentException(
          "segment " + segment + " out of range [0, " + segments + ")");
    }
  }

  void checkBranch(int branch) {
    if (branch < 0 || branch >= branches()) {
      throw new IllegalArgumentException(
          "branch " + branch + " out of range [0, " + branches() + ")");
    }
  }
}
