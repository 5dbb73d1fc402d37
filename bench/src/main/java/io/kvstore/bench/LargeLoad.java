package io.kvstore.bench;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * A load larger than the memtable and the block cache, outside JMH: puts {@code --keys} random keys
 * (one thread, commit log on, not synced; progress on stderr once per second), waits until flush
 * and compaction are idle, then measures random lookups of present keys for {@code --seconds} from
 * one and from two threads, after a {@code --warmup}. Prints a results table: load time, lookups
 * per second, data blocks and block-cache misses per lookup (over the measured lookups only) and
 * write amplification (table bytes written / user bytes).
 *
 * <pre>
 * java -Xmx2g --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *   io.kvstore.bench.LargeLoad --keys 10000000 --engine both [--seconds 30] [--warmup 10]
 *   [--dir DIR] [--rocksdb-stats true]
 * </pre>
 */
public final class LargeLoad {
  private long keys = 10_000_000;
  private String engine = "both";
  private double seconds = 30;
  private double warmup = 10;
  private Path root = Paths.get(BenchDirs.DEFAULT_ROOT);
  private boolean rocksdbStats = true;

  public static void main(String[] args) throws InterruptedException {
    LargeLoad run = new LargeLoad();
    run.parse(args);
    List<LargeLoadResult> results = new ArrayList<>();
    for (String name : run.engine.equals("both") ? Engines.ALL : List.of(run.engine)) {
      results.add(run.runOne(name));
    }
    System.out.print(LargeLoadResult.table(results));
  }

  private void parse(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--keys" -> keys = Long.parseLong(v.replace("_", ""));
        case "--engine" -> engine = v;
        case "--seconds" -> seconds = Double.parseDouble(v);
        case "--warmup" -> warmup = Double.parseDouble(v);
        case "--dir" -> root = Paths.get(v);
        case "--rocksdb-stats" -> rocksdbStats = Boolean.parseBoolean(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (args.length % 2 != 0) {
      throw new IllegalArgumentException("options come in pairs: --name value");
    }
    if (!engine.equals("both") && !Engines.ALL.contains(engine)) {
      throw new IllegalArgumentException("--engine must be ours, rocksdb or both");
    }
  }

  private LargeLoadResult runOne(String name) throws InterruptedException {
    Path dir = BenchDirs.fresh(root, "largeload-" + name);
    EngineSettings settings = EngineSettings.standard(EngineSettings.Sync.NONE)
        .withStatistics(name.equals(Engines.ROCKSDB) && rocksdbStats);
    try (Engine e = Engines.open(name, dir, settings)) {
      System.err.printf("[%s] loading %,d keys into %s%n", name, keys, dir);
      long t0 = System.nanoTime();
      try (ProgressMeter meter = new ProgressMeter(name + " load", keys, e::shape)) {
        for (long i = 0; i < keys; i++) {
          e.put(KeySpace.PRESENT.key(i), KeySpace.value(i));
          if ((i & 1023) == 1023) {
            meter.add(1024);
          }
        }
      }
      long t1 = System.nanoTime();
      System.err.printf("[%s] puts done in %.1f s; waiting for flush and compaction%n", name,
          (t1 - t0) / 1e9);
      e.awaitBackgroundWork();
      long t2 = System.nanoTime();
      EngineCounters afterLoad = e.counters();
      System.err.printf("[%s] settled in %.1f s: %s%n", name, (t2 - t1) / 1e9, e.shape());
      GetPhase gets = new GetPhase(e, KeySpace.PRESENT, keys);
      System.err.printf("[%s] warm-up lookups for %.0f s%n", name, warmup);
      gets.run(2, warmup, 1);
      EngineCounters before = e.counters();
      double one = gets.run(1, seconds, 100);
      System.err.printf("[%s] 1 thread: %,.0f lookups/s%n", name, one);
      double two = gets.run(2, seconds, 200);
      System.err.printf("[%s] 2 threads: %,.0f lookups/s%n", name, two);
      EngineCounters reads = e.counters().since(before);
      return new LargeLoadResult(name, keys, (t1 - t0) / 1e9, (t2 - t1) / 1e9, one, two, reads,
          afterLoad, e.shape());
    } finally {
      BenchDirs.delete(dir);
    }
  }
}
