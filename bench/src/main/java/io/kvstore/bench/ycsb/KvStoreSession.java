package io.kvstore.bench.ycsb;

import io.kvstore.client.KvClient;
import io.kvstore.client.ReadOptions;
import io.kvstore.client.WriteOptions;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the YCSB threads of one JVM share for kvstore: one {@link KvClient}, the quorum options,
 * the error log, and sibling counters printed when the last thread closes it.
 *
 * <p>Properties: {@code kvstore.nodes} (comma-separated host:port, default 127.0.0.1:7001),
 * {@code kvstore.r}, {@code kvstore.w} (per-request quorums; 0 or absent = the cluster's
 * defaults), {@code kvstore.timeout} (milliseconds per attempt, default 5000).
 *
 * <p>Thread safe.
 */
final class KvStoreSession implements AutoCloseable {
  final KvClient client;
  final ReadOptions read;
  final WriteOptions write;
  final ErrorLog errors;
  private final PrintStream out;
  private final LongAdder gets = new LongAdder();
  private final LongAdder getsWithSiblings = new LongAdder();
  private final LongAccumulator mostSiblings = new LongAccumulator(Math::max, 0);

  KvStoreSession(Settings settings, PrintStream out) {
    this.client = KvClient.builder().addresses(settings.nodes())
        .timeout(Duration.ofMillis(settings.timeoutMillis())).build();
    this.read = new ReadOptions(settings.r(), 0);
    this.write = new WriteOptions(settings.w(), 0);
    this.errors = new ErrorLog("kvstore binding", out);
    this.out = out;
  }

  /** Counts a read of the key that found {@code siblings} live values. */
  void sawSiblings(int siblings) {
    gets.increment();
    if (siblings > 1) {
      getsWithSiblings.increment();
      mostSiblings.accumulate(siblings);
    }
  }

  @Override
  public void close() {
    out.printf("kvstore binding: %,d of %,d reads of a key found siblings (at most %d on one key);"
        + " %,d errors%n", getsWithSiblings.sum(), gets.sum(), mostSiblings.get(), errors.total());
    client.close();
  }

  /** The binding's properties, validated. */
  record Settings(List<String> nodes, int r, int w, long timeoutMillis) {
    static Settings from(Properties p) {
      List<String> nodes = Arrays.stream(p.getProperty("kvstore.nodes", "127.0.0.1:7001")
          .split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
      return new Settings(nodes, nonNegative(p, "kvstore.r", 0), nonNegative(p, "kvstore.w", 0),
          nonNegative(p, "kvstore.timeout", 5000));
    }

    /** Threads with equal settings share one client. */
    String key() {
      return String.join(",", nodes) + "|" + r + "|" + w + "|" + timeoutMillis;
    }

    private static int nonNegative(Properties p, String name, int fallback) {
      String text = p.getProperty(name);
      if (text == null || text.isBlank()) {
        return fallback;
      }
      try {
        int v = Integer.parseInt(text.strip());
        if (v >= 0) {
          return v;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(name + " must be a non-negative integer, got '" + text + "'");
    }
  }
}
