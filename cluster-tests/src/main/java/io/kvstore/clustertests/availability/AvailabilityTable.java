package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.availability.AvailabilityRow.Scope;
import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.FaultWindow;
import java.util.Locale;

/**
 * Renders an {@link Availability} for people: a fixed-width table for summary.txt (one line per
 * row, the windows spelled out below it) and a one-line digest for the console. Undefined
 * figures print as "-".
 *
 * <p>Thread safety: stateless.
 */
public final class AvailabilityTable {
  private static final String FORMAT =
      "%-18s %-9s %7s %7s %7s %6s %6s %7s %8s %8s %6s %9s%n";

  private AvailabilityTable() {}

  /** The table, with a heading that says how each column is computed. */
  public static String text(Availability a) {
    StringBuilder b = new StringBuilder("Availability (liveness beside safety)\n")
        .append("  client reads, adds, writes and deletes, each in the stretch where it was"
            + " invoked; ok% = ok / (ok + fail + info)\n")
        .append("  before = the same client kind's ok/s in the fault-free part of the 60 s before"
            + " the window (at least\n  10 s of it, else -); for 'in faults', in all fault-free"
            + " time; ratio = ok/s / before; p99 of ok ops\n");
    b.append(String.format(Locale.ROOT, FORMAT, "stretch", "client", "secs", "ops", "ok", "fail",
        "info", "ok%", "ok/s", "before", "ratio", "p99 ms"));
    String last = null;
    for (AvailabilityRow r : a.rows()) {
      String stretch = stretch(r);
      b.append(String.format(Locale.ROOT, FORMAT, stretch.equals(last) ? "" : stretch,
          r.client().jsonName(), fixed(r.durationNanos() / 1e9, 1), r.ops(), r.ok(), r.fail(),
          r.info(), percent(r.successShare()), fixed(r.okPerSecond(), 1),
          fixed(r.baselineOkPerSecond(), 1), fixed(r.throughputRatio(), 2), millis(r.p99Nanos())));
      last = stretch;
    }
    for (FaultWindow w : a.windows()) {
      b.append("  #").append(w.id()).append(' ').append(w.nemesis()).append(' ')
          .append(fixed(w.startNanos() / 1e9, 1)).append(" s..")
          .append(w.isOpen() ? "open" : fixed(w.endNanos() / 1e9, 1) + " s").append(": ")
          .append(w.description()).append('\n');
    }
    return b.toString();
  }

  /**
   * One line: per client kind, all fault windows together against the fault-free time. E.g.
   * "availability pause: all-nodes in faults 78.5% ok, 39.0 ok/s = 0.21x, p99 1998 ms; no fault
   * 100.0% ok, 190.2 ok/s, p99 8 ms | pinned ...".
   */
  public static String digest(Availability a) {
    StringBuilder b = new StringBuilder("availability ").append(a.scenario()).append(":");
    String sep = " ";
    for (ClientKind k : Availability.KINDS) {
      AvailabilityRow in = a.row(Scope.IN_FAULTS, null, k);
      AvailabilityRow out = a.row(Scope.NO_FAULT, null, k);
      b.append(sep).append(k.jsonName()).append(" in faults ").append(percent(in.successShare()))
          .append(" ok, ").append(fixed(in.okPerSecond(), 1)).append(" ok/s = ")
          .append(fixed(in.throughputRatio(), 2)).append("x, p99 ").append(millis(in.p99Nanos()))
          .append(" ms; no fault ").append(percent(out.successShare())).append(" ok, ")
          .append(fixed(out.okPerSecond(), 1)).append(" ok/s, p99 ").append(millis(out.p99Nanos()))
          .append(" ms");
      sep = " | ";
    }
    return b.toString();
  }

  private static String stretch(AvailabilityRow r) {
    return switch (r.scope()) {
      case WINDOW -> "#" + r.window().id() + " " + r.window().nemesis();
      case IN_FAULTS -> "in faults";
      case NO_FAULT -> "no fault";
    };
  }

  private static String fixed(double v, int decimals) {
    return Double.isNaN(v) || Double.isInfinite(v) ? "-"
        : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : fixed(100 * share, 1) + "%";
  }

  private static String millis(long nanos) {
    return nanos < 0 ? "-" : fixed(nanos / 1e6, 1);
  }
}
