package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.FaultWindow;

/**
 * One row of the availability report: the client operations of one {@link ClientKind} invoked in
 * one stretch of a run (a fault window, all fault windows together, or the fault-free time),
 * with how they ended, how fast the acknowledged ones came, and what they are compared with.
 *
 * <p>Derived figures are NaN where undefined (no operation, no time, no baseline); the report
 * prints them as "-". Thread safety: immutable value. Invariants: counts &gt;= 0; {@code window}
 * is non-null exactly for {@link Scope#WINDOW}; p99 is -1 without an acknowledged operation.
 *
 * @param durationNanos how long the stretch lasted within the run's span of client operations
 * @param p99Nanos the 99th percentile (nearest rank) latency of the acknowledged operations
 * @param baselineOkPerSecond what {@link #okPerSecond()} is compared with: for a window, the
 *     same client kind's rate in the fault-free time before it; for {@link Scope#IN_FAULTS}, the
 *     rate in all fault-free time; NaN for {@link Scope#NO_FAULT} or when too little fault-free
 *     time preceded the window
 */
public record AvailabilityRow(Scope scope, FaultWindow window, ClientKind client,
    long durationNanos, long ok, long fail, long info, long p99Nanos, double baselineOkPerSecond) {

  /** Which stretch of the run a row covers. */
  public enum Scope {
    /** One fault window. */
    WINDOW,
    /** Every fault window together. */
    IN_FAULTS,
    /** The time outside every fault window. */
    NO_FAULT
  }

  public AvailabilityRow {
    if ((window != null) != (scope == Scope.WINDOW) || client == null) {
      throw new IllegalArgumentException("a window row needs its window, other rows none");
    }
    if (durationNanos < 0 || ok < 0 || fail < 0 || info < 0) {
      throw new IllegalArgumentException("negative duration or count");
    }
  }

  /** Every operation invoked in the stretch: ok + fail + info (never completed counts as info). */
  public long ops() {
    return ok + fail + info;
  }

  /** ok / (ok + fail + info); NaN without operations. */
  public double successShare() {
    return ops() == 0 ? Double.NaN : (double) ok / ops();
  }

  /** Acknowledged operations per second of the stretch; NaN when it lasted no time. */
  public double okPerSecond() {
    return durationNanos == 0 ? Double.NaN : ok / (durationNanos / 1e9);
  }

  /** {@link #okPerSecond()} over the baseline; NaN without a (non-zero) baseline. */
  public double throughputRatio() {
    return baselineOkPerSecond > 0 ? okPerSecond() / baselineOkPerSecond : Double.NaN;
  }
}
