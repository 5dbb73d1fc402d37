package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.availability.Availability;
import io.kvstore.clustertests.availability.AvailabilityTable;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryWriter;
import io.kvstore.clustertests.timeline.TimelinePng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes what a person needs to look at one run into one folder, {@code dir/<scenario>/}:
 * {@code history.jsonl} (FORMAT.md in the history package), {@code summary.txt} (the summary
 * line, the availability table, then each checker's verdict, counts, anomalies and notes) and
 * {@code timeline.png}.
 *
 * <p>Thread safety: stateless; the history is snapshotted, so recording may continue.
 */
public final class Report {
  /** Anomalies and notes listed per checker in summary.txt; the rest are counted. */
  static final int MAX_LINES = 200;

  private Report() {}

  /**
   * Writes the report and returns its folder; {@code reported} are checkers run for information
   * only (their verdicts are listed after the enforced ones and do not count towards the run's
   * verdict).
   *
   * @throws IOException if a file cannot be written
   */
  public static Path write(Path dir, String scenario, History history, List<CheckResult> results,
      List<CheckResult> reported) throws IOException {
    Path folder = dir.resolve(scenario.replaceAll("[^A-Za-z0-9._-]", "_"));
    Files.createDirectories(folder);
    HistoryWriter.write(history, folder.resolve("history.jsonl"));
    Files.writeString(folder.resolve("summary.txt"), text(scenario, history, results, reported),
        StandardCharsets.UTF_8);
    TimelinePng.render(history, folder.resolve("timeline.png"));
    return folder;
  }

  /** The contents of summary.txt. */
  public static String text(String scenario, History history, List<CheckResult> results,
      List<CheckResult> reported) {
    Summary summary = Summary.of(scenario, history, results, reported);
    StringBuilder b = new StringBuilder(summary.line()).append("\n");
    b.append("started ").append(history.header().start()).append(", ")
        .append(history.faults().size()).append(" fault windows\n");
    if (summary.sloppyStaleReads() >= 0) {
      b.append("sloppy stale reads: ").append(summary.sloppyStaleReads())
          .append(" (stale reads in C3 pairs where the write or the read counted a fallback:"
              + " sloppy quorum allows them until handoff, not a violation)\n");
    }
    b.append("\n").append(AvailabilityTable.text(Availability.of(history)));
    results(b, results);
    if (!reported.isEmpty()) {
      b.append("\nReported, not enforced:\n");
      results(b, reported);
    }
    return b.toString();
  }

  private static void results(StringBuilder b, List<CheckResult> results) {
    for (CheckResult r : results) {
      b.append("\n").append(r.name()).append(": ").append(r.verdict()).append("\n  ");
      r.counts().forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
      b.append("\n");
      lines(b, "anomaly", r.anomalies());
      lines(b, "note", r.notes());
    }
  }

  private static void lines(StringBuilder b, String kind, List<String> items) {
    for (int i = 0; i < Math.min(items.size(), MAX_LINES); i++) {
      b.append("  ").append(kind).append(": ").append(items.get(i)).append("\n");
    }
    if (items.size() > MAX_LINES) {
      b.append("  ... ").append(items.size() - MAX_LINES).append(" more ").append(kind)
          .append(" lines\n");
    }
  }
}
