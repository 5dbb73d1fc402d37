package io.kvstore.client.cli;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one bench worker measured: latency histograms (microseconds) of successful reads and
 * writes, and failed operations counted by status code. Confined to its worker while it runs,
 * then merged by the coordinating thread after the workers stopped. Not thread safe.
 */
final class BenchStats {
  /** Latencies above this (10 minutes) are clamped. */
  static final long MAX_MICROS = 600_000_000L;

  final Histogram reads = newHistogram();
  final Histogram writes = newHistogram();
  final Map<String, Long> errors = new TreeMap<>();

  static Histogram newHistogram() {
    return new Histogram(MAX_MICROS, 3);
  }

  void record(boolean read, long micros) {
    (read ? reads : writes).recordValue(Math.max(1, Math.min(micros, MAX_MICROS)));
  }

  void error(String code) {
    errors.merge(code, 1L, Long::sum);
  }

  void add(BenchStats other) {
    reads.add(other.reads);
    writes.add(other.writes);
    other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }
}
