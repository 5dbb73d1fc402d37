package io.kvstore.clustertests.history;

/**
 * One fault the nemesis injected: from {@code startNanos} until it was healed at {@code
 * endNanos} (both nanos since the run started), or still open ({@code endNanos} = {@link #OPEN}).
 * Windows of one history have distinct ids, in order of start.
 *
 * <p>Thread safety: immutable value. Invariants: id &gt;= 0, nemesis non-empty, 0 &lt;=
 * startNanos &lt;= endNanos unless open.
 */
public record FaultWindow(int id, String nemesis, long startNanos, long endNanos, String description) {
  /** {@code endNanos} of a window that was never closed. */
  public static final long OPEN = -1;

  public FaultWindow {
    if (id < 0 || nemesis == null || nemesis.isEmpty() || startNanos < 0) {
      throw new IllegalArgumentException("bad fault window " + id + " " + nemesis + " @" + startNanos);
    }
    if (endNanos != OPEN && endNanos < startNanos) {
      throw new IllegalArgumentException(
          "fault window " + id + " ends at " + endNanos + " before it starts at " + startNanos);
    }
    description = description == null ? "" : description;
  }

  public boolean isOpen() {
    return endNanos == OPEN;
  }

  /** This window closed at {@code end}. */
  public FaultWindow closedAt(long end) {
    if (!isOpen()) {
      throw new IllegalStateException("fault window " + id + " (" + nemesis + ") already closed");
    }
    return new FaultWindow(id, nemesis, startNanos, end, description);
  }

  /** True when [from, to] intersects this window (an open window extends forever). */
  public boolean overlaps(long from, long to) {
    return startNanos <= to && (isOpen() || endNanos >= from);
  }

  @Override
  public String toString() {
    return nemesis + "#" + id + " [" + startNanos / 1_000_000 + "ms.."
        + (isOpen() ? "open" : endNanos / 1_000_000 + "ms") + "] " + description;
  }
}
