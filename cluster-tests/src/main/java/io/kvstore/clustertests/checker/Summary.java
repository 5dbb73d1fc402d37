package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.OpPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's result in one line (FAULT-SUITE.md, "Output"): operations and their outcomes,
 * C1's lost / recovered / unexpected, C2's convergence time, C3's sloppy stale reads (allowed,
 * counted apart), the time the hint queues took to drain after the heal, the tombstones
 * anti-entropy purged during the scenario ({@link AntiEntropyStats}, a reported result), and each
 * enforced checker's verdict. Counts a checker did not report are shown as "-".
 *
 * <p>Thread safety: immutable value.
 */
public record Summary(
    String scenario,
    long seed,
    long ops,
    long ok,
    long fail,
    long info,
    long lost,
    long recovered,
    long unexpected,
    long convergenceMillis,
    long sloppyStaleReads,
    long hintDrainMillis,
    long tombstonesPurged,
    Map<String, Boolean> verdicts) {

  public Summary {
    verdicts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(verdicts));
  }

  /** Summarizes a run: every operation of the history (final and raw reads included). */
  public static Summary of(String scenario, History history, List<CheckResult> results) {
    return of(scenario, history, results, List.of());
  }

  /**
   * Summarizes a run whose {@code reported} results (not enforced) may carry counts for the
   * line, such as the tombstones purged; verdicts are those of {@code results} only.
   */
  public static Summary of(String scenario, History history, List<CheckResult> results,
      List<CheckResult> reported) {
    long ok = 0;
    long fail = 0;
    long info = 0;
    List<OpPair> pairs = history.pairs();
    for (OpPair p : pairs) {
      switch (p.outcome()) {
        case OK -> ok++;
        case FAIL -> fail++;
        default -> info++;
      }
    }
    Map<String, Boolean> verdicts = new LinkedHashMap<>();
    long lost = -1;
    long recovered = -1;
    long unexpected = -1;
    long convergence = -1;
    long sloppyStale = -1;
    long drain = -1;
    long purged = -1;
    results.forEach(r -> verdicts.put(r.name(), r.passed()));
    List<CheckResult> all = new java.util.ArrayList<>(results);
    all.addAll(reported);
    for (CheckResult r : all) {
      if (r.name().equals(AntiEntropyStats.NAME)) {
        purged = r.count("tombstonesPurged");
      } else if (r.name().equals(LostWritesChecker.NAME)) {
        lost = r.count("lost");
        recovered = r.count("recovered");
        unexpected = r.count("unexpected");
      } else if (r.name().equals(ConvergenceChecker.NAME)) {
        convergence = r.count("convergenceMillis");
      } else if (r.name().equals(ReadAfterWriteChecker.NAME)) {
        sloppyStale = r.count("sloppyStaleReads");
      } else if (r.name().equals(HintDrain.NAME)) {
        drain = r.count("drainMillis");
      }
    }
    return new Summary(scenario, history.header().seed(), pairs.size(), ok, fail, info, lost,
        recovered, unexpected, convergence, sloppyStale, drain, purged, verdicts);
  }

  /** True when every checker passed (and there was at least one). */
  public boolean passed() {
    return !verdicts.isEmpty() && !verdicts.containsValue(false);
  }

  /**
   * E.g. "kill seed=42 ops=1200 ok=1100 fail=60 info=40 lost=0 ... sloppyStaleReads=3
   * hintDrain=1.2s purged=57 C1=PASS ... PASS".
   */
  public String line() {
    StringBuilder b = new StringBuilder(scenario).append(" seed=").append(seed).append(" ops=")
        .append(ops).append(" ok=").append(ok).append(" fail=").append(fail).append(" info=")
        .append(info).append(" lost=").append(opt(lost)).append(" recovered=").append(opt(recovered))
        .append(" unexpected=").append(opt(unexpected)).append(" convergence=")
        .append(seconds(convergenceMillis)).append(" sloppyStaleReads=").append(opt(sloppyStaleReads))
        .append(" hintDrain=").append(seconds(hintDrainMillis)).append(" purged=")
        .append(opt(tombstonesPurged));
    verdicts.forEach((name, pass) -> b.append(' ').append(shortName(name)).append('=')
        .append(pass ? "PASS" : "FAIL"));
    return b.append(" => ").append(passed() ? "PASS" : "FAIL").toString();
  }

  @Override
  public String toString() {
    return line();
  }

  private static String seconds(long millis) {
    return millis < 0 ? "-" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  private static String opt(long v) {
    return v < 0 ? "-" : Long.toString(v);
  }

  /** "C1 no lost writes" -> "C1"; other names with spaces become dashes. */
  private static String shortName(String name) {
    return name.matches("C\\d .*") ? name.substring(0, name.indexOf(' ')) : name.replace(' ', '-');
  }
}
