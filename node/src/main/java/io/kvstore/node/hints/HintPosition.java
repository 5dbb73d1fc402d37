package io.kvstore.node.hints;

/**
 * A place in one target's hint log: a segment number and a byte offset in that segment. Used both
 * as "where a record starts" and as a replay checkpoint ("everything before this was delivered").
 * Ordered by segment, then offset.
 *
 * <p>Immutable value; thread safe. {@link #START} precedes every record.
 */
public record HintPosition(long segment, long offset) implements Comparable<HintPosition> {
  /** Before the first record of any segment. */
  public static final HintPosition START = new HintPosition(0, 0);

  public HintPosition {
    if (segment < 0 || offset < 0) {
      throw new IllegalArgumentException("negative hint position " + segment + ":" + offset);
    }
  }

  @Override
  public int compareTo(HintPosition o) {
    int c = Long.compare(segment, o.segment);
    return c != 0 ? c : Long.compare(offset, o.offset);
  }

  @Override
  public String toString() {
    return segment + ":" + offset;
  }
}
