package io.kvstore.clustertests.kubernetes;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Kubernetes resource quantities as numbers: memory ({@code 2Gi}, {@code 512Mi}, {@code 1G},
 * plain bytes) and CPU ({@code 2}, {@code 500m}). Stateless.
 */
final class Quantities {
  private static final Map<String, Long> SUFFIX = Map.of(
      "Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "Ti", 1L << 40,
      "k", 1_000L, "M", 1_000_000L, "G", 1_000_000_000L, "T", 1_000_000_000_000L);

  private Quantities() {}

  /** Bytes of a memory quantity; 0 when absent. */
  static long bytes(String q) {
    if (q == null) {
      return 0;
    }
    for (int len = 2; len >= 1; len--) { // "Mi" before "M"
      Long unit = q.length() > len ? SUFFIX.get(q.substring(q.length() - len)) : null;
      if (unit != null) {
        return new BigDecimal(q.substring(0, q.length() - len))
            .multiply(BigDecimal.valueOf(unit)).longValueExact();
      }
    }
    return new BigDecimal(q).longValueExact();
  }

  /** Billionths of a CPU of a CPU quantity; 0 when absent. */
  static long nanoCpus(String q) {
    if (q == null) {
      return 0;
    }
    BigDecimal cpus = q.endsWith("m")
        ? new BigDecimal(q.substring(0, q.length() - 1)).movePointLeft(3)
        : new BigDecimal(q);
    return cpus.movePointRight(9).longValueExact();
  }
}
