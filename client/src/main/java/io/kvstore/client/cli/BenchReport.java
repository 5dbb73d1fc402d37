package io.kvstore.client.cli;

import java.io.PrintWriter;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Prints the final report of {@code kv bench}. Stateless. */
final class BenchReport {
  private static final String ROW = "%-8s %10s %9s %9s %9s %9s %9s%n";

  private BenchReport() {}

  static void print(PrintWriter out, BenchConfig cfg, LoadGenerator.BenchResult result) {
    BenchStats s = result.stats();
    Histogram all = BenchStats.newHistogram();
    all.add(s.reads);
    all.add(s.writes);
    double secs = result.measured().toNanos() / 1e9;
    out.printf("result: %.1f s, %d threads, %d keys, %d-byte values, read ratio %.2f%n",
        secs, cfg.concurrency(), cfg.keys(), cfg.valueSize(), cfg.readRatio());
    out.printf("throughput: %.1f ops/s (%d ops: %d reads, %d writes), %d errors%n",
        all.getTotalCount() / secs, all.getTotalCount(), s.reads.getTotalCount(),
        s.writes.getTotalCount(), s.errorCount());
    out.printf(ROW, "latency", "count", "p50 us", "p95 us", "p99 us", "p99.9 us", "max us");
    row(out, "read", s.reads);
    row(out, "write", s.writes);
    row(out, "all", all);
    out.println("errors by status: " + (s.errors.isEmpty() ? "none"
        : s.errors.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "))));
    out.flush();
  }

  private static void row(PrintWriter out, String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      out.printf(ROW, name, 0, "-", "-", "-", "-", "-");
      return;
    }
    out.printf(ROW, name, h.getTotalCount(), h.getValueAtPercentile(50),
        h.getValueAtPercentile(95), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
        h.getMaxValue());
  }
}
