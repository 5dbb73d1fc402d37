package io.kvstore.bench;

import java.util.List;
import java.util.Locale;

/**
 * What one engine did in {@link LargeLoad}, and the table printing of several such results.
 * Immutable value.
 *
 * @param loadSeconds time to put every key (one thread, commit log on, not synced)
 * @param settleSeconds time after the puts until the memtable was flushed and compaction idle
 * @param getOneThread lookups per second of present keys, one thread
 * @param getTwoThreads the same with two threads
 * @param reads counters accumulated over both measured get phases only
 * @param load counters accumulated over load and settle (write amplification)
 */
record LargeLoadResult(
    String engine,
    long keys,
    double loadSeconds,
    double settleSeconds,
    double getOneThread,
    double getTwoThreads,
    EngineCounters reads,
    EngineCounters load,
    String shape) {

  static String table(List<LargeLoadResult> results) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "| %-7s | %10s | %8s | %8s | %12s | %12s | %11s | %12s | %9s |%n",
        "engine", "keys", "load s", "settle s", "get 1 thr/s", "get 2 thr/s", "blocks/get",
        "misses/get", "write amp"));
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (LargeLoadResult r : results) {
      sb.append(String.format(Locale.ROOT,
          "| %-7s | %,10d | %8.1f | %8.1f | %,12.0f | %,12.0f | %11s | %12s | %9s |%n",
          r.engine, r.keys, r.loadSeconds, r.settleSeconds, r.getOneThread, r.getTwoThreads,
          fmt(r.reads.dataBlocksPerLookup()), fmt(r.reads.cacheMissesPerLookup()),
          fmt(r.load.writeAmplification())));
    }
    for (LargeLoadResult r : results) {
      sb.append(r.engine).append(": ").append(r.shape).append('\n');
    }
    return sb.toString();
  }

  private static String fmt(double d) {
    return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.3f", d);
  }
}
