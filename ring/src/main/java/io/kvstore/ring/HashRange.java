package io.kvstore.ring;

/**
 * The slice of the 64-bit hash space covered by one partition: {@code [start, endExclusive)} with
 * both bounds read as unsigned 64-bit numbers.
 *
 * <p>Immutable and thread-safe. Invariant: {@code endExclusive == 0} stands for 2^64, the end of
 * the hash space; it is the end of the last partition (and, with one partition, the range
 * {@code [0, 0)} is the whole space). Otherwise {@code start < endExclusive} unsigned.
 */
public record HashRange(long start, long endExclusive) {
  public HashRange {
    if (endExclusive != 0 && Long.compareUnsigned(start, endExclusive) >= 0) {
      throw new IllegalArgumentException(
          "empty hash range [" + Long.toUnsignedString(start) + ", "
              + Long.toUnsignedString(endExclusive) + ")");
    }
  }

  /** Whether an (unsigned) hash falls inside this range. */
  public boolean contains(long hash) {
    return Long.compareUnsigned(hash, start) >= 0
        && (endExclusive == 0 || Long.compareUnsigned(hash, endExclusive) < 0);
  }

  @Override
  public String toString() {
    return "[" + Long.toUnsignedString(start) + ", "
        + (endExclusive == 0 ? "2^64" : Long.toUnsignedString(endExclusive)) + ")";
  }
}
