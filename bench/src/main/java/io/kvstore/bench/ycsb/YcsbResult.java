package io.kvstore.bench.ycsb;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one YCSB run, parsed from the text YCSB prints at the end of a run
 * ({@code [OVERALL], Throughput(ops/sec), 1234.5}, {@code [READ], 99thPercentileLatency(us),
 * 880}, {@code [READ], Return=OK, 1000}, ...; hdrhistogram measurement).
 *
 * @param throughput operations per second over the run
 * @param ops per operation type (READ, UPDATE, INSERT, ...; not the -FAILED series)
 */
record YcsbResult(double throughput, Map<String, Op> ops) {
  /**
   * @param operations how many were measured
   * @param p99Micros 99th percentile latency in microseconds, -1 when not printed
   * @param errors answers other than OK and NOT_FOUND
   */
  record Op(long operations, double p99Micros, long errors) {}

  /** The p99 of {@code type}, -1 when there was no such operation. */
  double p99(String type) {
    Op op = ops.get(type);
    return op == null || op.operations() == 0 ? -1 : op.p99Micros();
  }

  long errors() {
    return ops.values().stream().mapToLong(Op::errors).sum();
  }

  /**
   * @throws IllegalArgumentException if the text has no overall throughput (the run failed)
   */
  static YcsbResult parse(List<String> lines) {
    double throughput = -1;
    Map<String, long[]> counts = new LinkedHashMap<>();
    Map<String, Double> p99 = new LinkedHashMap<>();
    for (String line : lines) {
      String[] parts = line.split(",\\s*", 3);
      if (parts.length != 3 || !parts[0].startsWith("[") || !parts[0].endsWith("]")) {
        continue;
      }
      String type = parts[0].substring(1, parts[0].length() - 1);
      String metric = parts[1].strip();
      String value = parts[2].strip();
      if (type.equals("OVERALL")) {
        if (metric.equals("Throughput(ops/sec)")) {
          throughput = Double.parseDouble(value);
        }
        continue;
      }
      if (type.endsWith("-FAILED") || type.equals("CLEANUP")) {
        continue;
      }
      long[] c = counts.computeIfAbsent(type, t -> new long[2]);
      if (metric.equals("Operations")) {
        c[0] = Long.parseLong(value);
      } else if (metric.equals("99thPercentileLatency(us)")) {
        p99.put(type, Double.parseDouble(value));
      } else if (metric.startsWith("Return=") && !metric.equals("Return=OK")
          && !metric.equals("Return=NOT_FOUND")) {
        c[1] += Long.parseLong(value);
      }
    }
    if (throughput < 0) {
      throw new IllegalArgumentException("no [OVERALL], Throughput(ops/sec) line: the run failed");
    }
    Map<String, Op> ops = new LinkedHashMap<>();
    counts.forEach((type, c) -> ops.put(type, new Op(c[0], p99.getOrDefault(type, -1.0), c[1])));
    return new YcsbResult(throughput, Map.copyOf(ops));
  }
}
