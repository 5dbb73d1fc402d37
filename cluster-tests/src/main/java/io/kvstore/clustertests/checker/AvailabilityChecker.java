package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.availability.Availability;
import io.kvstore.clustertests.availability.AvailabilityRow;
import io.kvstore.clustertests.availability.AvailabilityRow.Scope;
import io.kvstore.clustertests.availability.OpClass;
import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.History;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The availability floor (FAULT-SUITE.md, "Availability"): in every fault window of a kind that
 * should leave the operations judged available to a client that knows all nodes (e.g. one node
 * of five killed, paused or isolated, N=3, a quorum of primaries stays reachable for every key),
 * the {@link ClientKind#ALL_NODES} client's operations of one {@link OpClass} (all, reads or
 * writes) must succeed at least {@code minSuccessShare} of the time, and its acknowledged ones per
 * second must reach {@code minThroughputRatio} of the fault-free time before the window ({@link
 * Availability} says how each is measured). Windows of other kinds are counted and not judged:
 * there a client may rightly be refused.
 *
 * <p>Not judged, with a note: a window without a baseline (too little fault-free time before it)
 * on throughput; a history without any all-nodes operation (written before that client existed).
 * Counts: {@code minSuccessPermille} and {@code minThroughputPercent} are the worst judged window's
 * (-1 when none was judged). Thread safety: immutable.
 */
public final class AvailabilityChecker implements Checker {
  public static final String NAME = "availability";
  private final String name;
  private final OpClass ops;
  private final Set<String> nemeses;
  private final double minSuccessShare;
  private final double minThroughputRatio;

  /**
   * A floor on all client operations together, named {@link #NAME}.
   *
   * @param nemeses the fault names (as the history records them) whose windows are judged
   * @param minSuccessShare floor of ok / (ok + fail + info), 0..1
   * @param minThroughputRatio floor of ok/s in the window over ok/s before it, &gt;= 0
   */
  public AvailabilityChecker(Set<String> nemeses, double minSuccessShare,
      double minThroughputRatio) {
    this(NAME, OpClass.ALL, nemeses, minSuccessShare, minThroughputRatio);
  }

  /**
   * A floor on one class of operations.
   *
   * @param name the result's name, e.g. "availability writes"
   * @param ops the operations judged
   * @param nemeses the fault names (as the history records them) whose windows are judged
   * @param minSuccessShare floor of ok / (ok + fail + info), 0..1
   * @param minThroughputRatio floor of ok/s in the window over ok/s before it, &gt;= 0
   */
  public AvailabilityChecker(String name, OpClass ops, Set<String> nemeses,
      double minSuccessShare, double minThroughputRatio) {
    if (!(minSuccessShare >= 0 && minSuccessShare <= 1) || !(minThroughputRatio >= 0)) {
      throw new IllegalArgumentException("floors out of range: success share " + minSuccessShare
          + ", throughput ratio " + minThroughputRatio);
    }
    this.name = name;
    this.ops = ops;
    this.nemeses = Set.copyOf(nemeses);
    this.minSuccessShare = minSuccessShare;
    this.minThroughputRatio = minThroughputRatio;
  }

  @Override
  public CheckResult check(History history) {
    Availability a = Availability.of(history, ops);
    boolean anyClient = history.pairs().stream()
        .anyMatch(p -> p.invoke().client() == ClientKind.ALL_NODES);
    List<AvailabilityRow> judged = a.rows().stream()
        .filter(row -> row.scope() == Scope.WINDOW && row.client() == ClientKind.ALL_NODES)
        .filter(row -> anyClient && nemeses.contains(row.window().nemesis()))
        .toList();
    CheckResult.Builder r = CheckResult.builder(name).count("windowsJudged", judged.size())
        .count("windowsNotJudged", a.windows().size() - judged.size()).count("windowsBelowFloor", 0)
        .count("minSuccessPermille", worst(judged, row -> share(row) * 1000))
        .count("minThroughputPercent", worst(judged, row -> row.throughputRatio() * 100));
    for (AvailabilityRow row : judged) {
      if (!judge(row, r)) {
        r.add("windowsBelowFloor", 1);
      }
    }
    if (!anyClient && !a.windows().isEmpty()) {
      r.note("no operation of an all-nodes client in this history: nothing judged");
    }
    return r.build();
  }

  /** Adds the window's anomalies and notes; returns whether it met both floors. */
  private boolean judge(AvailabilityRow row, CheckResult.Builder r) {
    String window = "window #" + row.window().id() + " (" + row.window().nemesis() + ": "
        + row.window().description() + ")";
    boolean met = true;
    if (share(row) < minSuccessShare) {
      met = false;
      r.anomaly(String.format(Locale.ROOT, "%s: the all-nodes client's %s succeeded"
          + " %.1f%% of the time (%d ok, %d fail, %d info); floor %.1f%%", window, ops.plural(),
          100 * share(row), row.ok(), row.fail(), row.info(), 100 * minSuccessShare));
    }
    double ratio = row.throughputRatio();
    if (Double.isNaN(ratio)) {
      r.note(window + ": no throughput baseline (too little fault-free time before it, or no"
          + " acknowledged operation there): throughput not judged");
    } else if (ratio < minThroughputRatio) {
      met = false;
      r.anomaly(String.format(Locale.ROOT, "%s: the all-nodes client acknowledged %.1f %s/s,"
          + " %.2fx the %.1f %s/s before; floor %.2fx", window, row.okPerSecond(), ops.plural(),
          ratio, row.baselineOkPerSecond(), ops.plural(), minThroughputRatio));
    }
    return met;
  }

  /** The success share, 0 when the client invoked nothing in the window (it was stuck). */
  private static double share(AvailabilityRow row) {
    return row.ops() == 0 ? 0 : row.successShare();
  }

  /** The lowest defined value, rounded; -1 when there is none. */
  private static long worst(List<AvailabilityRow> rows, ToDoubleFunction<AvailabilityRow> f) {
    return rows.stream().mapToDouble(f).filter(v -> !Double.isNaN(v)).min()
        .stream().mapToLong(Math::round).findFirst().orElse(-1);
  }
}
