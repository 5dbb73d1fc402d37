package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.availability.AvailabilityRow.Scope;
import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.OpPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Liveness beside safety (FAULT-SUITE.md, "Availability"): per client kind, how the client
 * operations of a run fared in each fault window, in all windows together and in the fault-free
 * time: the share that succeeded, acknowledged operations per second against a baseline, and the
 * p99 latency of the acknowledged ones. A pure function of the history: no clock, no I/O.
 *
 * <p>What counts: client reads, adds, writes and deletes (not the harness's final and raw
 * reads), or only the reads or only the writes ({@link OpClass}), each placed by its invocation time: in every window with start &lt;= time &lt; end (an
 * open window never ends), else in the fault-free time. An operation that never completed counts
 * as info. Durations are measured within the span from the first client invocation to the last
 * client completion. A window's baseline is its client kind's rate in the fault-free time of the
 * {@link #BASELINE_SPAN} before the window starts, when that holds at least {@link #MIN_BASELINE}
 * of it (otherwise none: the window is not compared).
 *
 * <p>Thread safety: immutable value. Rows come in order: per window (in order of start) one row
 * per client kind, then {@link Scope#IN_FAULTS}, then {@link Scope#NO_FAULT}; within each,
 * {@link ClientKind#ALL_NODES} before {@link ClientKind#PINNED}.
 */
public record Availability(String scenario, List<FaultWindow> windows, List<AvailabilityRow> rows) {
  public static final Duration BASELINE_SPAN = Duration.ofSeconds(60);
  public static final Duration MIN_BASELINE = Duration.ofSeconds(10);
  /** Client kinds in report order. */
  static final List<ClientKind> KINDS = List.of(ClientKind.ALL_NODES, ClientKind.PINNED);

  public Availability {
    windows = List.copyOf(windows);
    rows = List.copyOf(rows);
  }

  /** The report with the default baseline (60 s before each window, at least 10 s of it). */
  public static Availability of(History history) {
    return of(history, OpClass.ALL);
  }

  /** The report of one class of operations only (reads, or writes), default baseline. */
  public static Availability of(History history, OpClass ops) {
    return of(history, ops, BASELINE_SPAN, MIN_BASELINE);
  }

  public static Availability of(History history, Duration baselineSpan, Duration minBaseline) {
    return of(history, OpClass.ALL, baselineSpan, minBaseline);
  }

  /** The report of the client operations of class {@code ops}. */
  public static Availability of(History history, OpClass ops, Duration baselineSpan,
      Duration minBaseline) {
    List<OpPair> client = history.pairs().stream()
        .filter(p -> ops.includes(p.f()))
        .toList();
    List<FaultWindow> windows = history.faults();
    Placement at = new Placement(client, windows);
    List<AvailabilityRow> rows = new ArrayList<>();
    for (FaultWindow w : windows) {
      long from = Math.max(at.start, w.startNanos() - baselineSpan.toNanos());
      long before = at.faultFreeNanos(from, w.startNanos());
      for (ClientKind k : KINDS) {
        double baseline = before < minBaseline.toNanos() ? Double.NaN
            : rate(count(at, k, i -> !at.inFault(i) && within(at.ops.get(i), from, w.startNanos())),
                before);
        rows.add(tally(at, k, Scope.WINDOW, w, at.spanNanos(w.startNanos(), Placement.endOf(w)),
            i -> Placement.invokedIn(at.ops.get(i), w), baseline));
      }
    }
    long faultFree = at.faultFreeNanos(at.start, at.end);
    for (ClientKind k : KINDS) {
      double baseline = faultFree < minBaseline.toNanos() ? Double.NaN
          : rate(count(at, k, i -> !at.inFault(i)), faultFree);
      rows.add(tally(at, k, Scope.IN_FAULTS, null, at.faultNanos(at.start, at.end), at::inFault,
          baseline));
    }
    for (ClientKind k : KINDS) {
      rows.add(tally(at, k, Scope.NO_FAULT, null, faultFree, i -> !at.inFault(i), Double.NaN));
    }
    return new Availability(history.header().scenario(), windows, rows);
  }

  /** The row of {@code scope} (and {@code window}, for {@link Scope#WINDOW}) for one kind. */
  public AvailabilityRow row(Scope scope, FaultWindow window, ClientKind client) {
    return rows.stream()
        .filter(r -> r.scope() == scope && r.client() == client
            && (window == null || r.window().id() == window.id()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no row " + scope + " " + window));
  }

  private static AvailabilityRow tally(Placement at, ClientKind k, Scope scope, FaultWindow w,
      long durationNanos, IntPredicate member, double baseline) {
    long ok = 0;
    long fail = 0;
    long info = 0;
    long[] latencies = new long[at.ops.size()];
    for (int i = 0; i < at.ops.size(); i++) {
      OpPair p = at.ops.get(i);
      if (p.invoke().client() != k || !member.test(i)) {
        continue;
      }
      switch (p.outcome()) {
        case OK -> latencies[(int) ok++] = p.latencyNanos();
        case FAIL -> fail++;
        default -> info++;
      }
    }
    return new AvailabilityRow(scope, w, k, durationNanos, ok, fail, info,
        p99(Arrays.copyOf(latencies, (int) ok)), baseline);
  }

  private static long count(Placement at, ClientKind k, IntPredicate member) {
    long n = 0;
    for (int i = 0; i < at.ops.size(); i++) {
      OpPair p = at.ops.get(i);
      if (p.invoke().client() == k && p.isOk() && member.test(i)) {
        n++;
      }
    }
    return n;
  }

  private static boolean within(OpPair p, long from, long to) {
    return p.start() >= from && p.start() < to;
  }

  private static double rate(long ok, long nanos) {
    return ok / (nanos / 1e9);
  }

  /** Nearest-rank 99th percentile; -1 when empty. */
  static long p99(long[] latencies) {
    if (latencies.length == 0) {
      return -1;
    }
    Arrays.sort(latencies);
    return latencies[(int) Math.ceil(0.99 * latencies.length) - 1];
  }
}
