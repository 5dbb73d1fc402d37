package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.OpPair;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where a run's client operations fall in time: the span from the first client invocation to the
 * last client completion, the fault windows clipped to it and merged into disjoint intervals, and
 * per operation whether it was invoked inside any window. Answers how much fault-free time, and
 * which fault-free operations, lie in a stretch of the run.
 *
 * <p>Thread safety: immutable after construction. Invariants: intervals are disjoint, sorted,
 * non-empty and within [start, end]; an open window extends to the span's end.
 */
final class Placement {
  final long start;
  final long end;
  final List<OpPair> ops;
  private final List<long[]> faults = new ArrayList<>();
  private final boolean[] inFault;

  /** @param ops client operations, in order of invocation */
  Placement(List<OpPair> ops, List<FaultWindow> windows) {
    this.ops = List.copyOf(ops);
    long s = ops.isEmpty() ? 0 : ops.getFirst().start();
    long e = s;
    for (OpPair p : ops) {
      e = Math.max(e, p.completion() == null ? p.start() : p.end());
    }
    this.start = s;
    this.end = e;
    List<long[]> clipped = new ArrayList<>();
    for (FaultWindow w : windows) {
      long a = Math.max(start, w.startNanos());
      long b = Math.min(end, endOf(w));
      if (a < b) {
        clipped.add(new long[] {a, b});
      }
    }
    clipped.sort(Comparator.comparingLong(iv -> iv[0]));
    for (long[] iv : clipped) {
      long[] last = faults.isEmpty() ? null : faults.getLast();
      if (last != null && iv[0] <= last[1]) {
        last[1] = Math.max(last[1], iv[1]);
      } else {
        faults.add(iv.clone());
      }
    }
    inFault = new boolean[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      for (FaultWindow w : windows) {
        inFault[i] |= invokedIn(ops.get(i), w);
      }
    }
  }

  /** The window's end, or forever while it is open. */
  static long endOf(FaultWindow w) {
    return w.isOpen() ? Long.MAX_VALUE : w.endNanos();
  }

  /** Whether the operation was invoked in [window start, window end). */
  static boolean invokedIn(OpPair p, FaultWindow w) {
    return p.start() >= w.startNanos() && p.start() < endOf(w);
  }

  boolean inFault(int i) {
    return inFault[i];
  }

  /** How long [from, to) overlaps the span: the duration of a window within the run. */
  long spanNanos(long from, long to) {
    return Math.max(0, Math.min(to, end) - Math.max(from, start));
  }

  /** Fault time (the union of windows) within [from, to). */
  long faultNanos(long from, long to) {
    long sum = 0;
    for (long[] iv : faults) {
      sum += Math.max(0, Math.min(to, iv[1]) - Math.max(from, iv[0]));
    }
    return sum;
  }

  /** Fault-free time within [from, to) and the span. */
  long faultFreeNanos(long from, long to) {
    return spanNanos(from, to) - faultNanos(Math.max(from, start), Math.min(to, end));
  }
}
