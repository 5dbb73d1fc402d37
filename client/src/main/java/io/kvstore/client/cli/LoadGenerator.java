package io.kvstore.client.cli;

import io.kvstore.client.Context;
import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.PutResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The closed-loop load of {@code kv bench}: {@code concurrency} workers, each with one request
 * in flight, pick a key uniformly and read it (probability readRatio) or write it. A progress
 * line is printed once per second.
 *
 * <p>Writes carry the context of the last read or write of that key by any worker, else none
 * (a blind write). So a write supersedes what the bench last saw of the key, and siblings stay
 * bounded by the writes in flight on one key instead of growing with every blind write.
 *
 * <p>Only operations that start and end inside the measured phase are recorded; the warm-up and
 * operations straddling a phase change count in the progress lines only. A worker pauses 1 ms
 * after a failed operation so that a dead cluster is not hammered in a tight loop.
 *
 * <p>Owns its worker threads for the duration of {@link #run()}. One run per instance.
 */
final class LoadGenerator {
  private enum Phase { WARMUP, MEASURE, STOP }

  private final KvClient client;
  private final BenchConfig cfg;
  private final PrintWriter out;
  private final byte[][] keys;
  private final AtomicReferenceArray<Context> contexts;
  private final LongAdder ops = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private volatile Phase phase = Phase.WARMUP;

  LoadGenerator(KvClient client, BenchConfig cfg, PrintWriter out) {
    this.client = client;
    this.cfg = cfg;
    this.out = out;
    this.keys = new byte[cfg.keys()][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = (cfg.keyPrefix() + i).getBytes(StandardCharsets.UTF_8);
    }
    this.contexts = new AtomicReferenceArray<>(cfg.keys());
  }

  /** Runs preload, warm-up and the measured phase; returns the measured statistics. */
  BenchResult run() throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(cfg.concurrency());
    try {
      if (cfg.preload()) {
        preload(pool);
      }
      phase = cfg.warmup().isZero() ? Phase.MEASURE : Phase.WARMUP;
      List<Future<BenchStats>> workers = new ArrayList<>();
      for (int i = 0; i < cfg.concurrency(); i++) {
        SplittableRandom random = new SplittableRandom(cfg.seed() + i);
        workers.add(pool.submit(() -> work(random)));
      }
      if (phase == Phase.WARMUP) {
        report("warmup", cfg.warmup());
        phase = Phase.MEASURE;
      }
      long start = System.nanoTime();
      report("run", cfg.duration());
      phase = Phase.STOP;
      Duration measured = Duration.ofNanos(System.nanoTime() - start);
      BenchStats total = new BenchStats();
      for (Future<BenchStats> f : workers) {
        total.add(join(f));
      }
      return new BenchResult(total, measured);
    } finally {
      phase = Phase.STOP;
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private void preload(ExecutorService pool) throws InterruptedException {
    long start = System.nanoTime();
    LongAdder failed = new LongAdder();
    List<Future<?>> parts = new ArrayList<>();
    for (int w = 0; w < cfg.concurrency(); w++) {
      int first = w;
      parts.add(pool.submit(() -> {
        byte[] v = randomValue(new SplittableRandom(cfg.seed() - 1 - first));
        for (int k = first; k < keys.length; k += cfg.concurrency()) {
          try {
            Context c = client.get(keys[k]).context();
            contexts.set(k, client.put(keys[k], v, c).context());
          } catch (KvException e) {
            failed.increment();
          }
        }
      }));
    }
    for (Future<?> f : parts) {
      join(f);
    }
    double secs = (System.nanoTime() - start) / 1e9;
    out.printf("preload: %d keys written in %.1f s, %d errors%n", keys.length, secs,
        failed.sum());
    out.flush();
  }

  private BenchStats work(SplittableRandom random) {
    BenchStats stats = new BenchStats();
    byte[] value = randomValue(random);
    while (phase != Phase.STOP) {
      int k = random.nextInt(keys.length);
      boolean read = random.nextDouble() < cfg.readRatio();
      boolean measuring = phase == Phase.MEASURE;
      long t0 = System.nanoTime();
      try {
        if (read) {
          GetResult r = client.get(keys[k]);
          contexts.set(k, r.context());
        } else {
          Context c = contexts.get(k);
          PutResult r = client.put(keys[k], value, c == null ? Context.EMPTY : c);
          contexts.set(k, r.context());
        }
        long micros = (System.nanoTime() - t0) / 1000;
        ops.increment();
        if (measuring && phase == Phase.MEASURE) {
          stats.record(read, micros);
        }
      } catch (KvException e) {
        errors.increment();
        if (measuring && phase == Phase.MEASURE) {
          stats.error(e.code() == KvException.Code.OTHER ? e.grpcCode().name() : e.code().name());
        }
        pauseAfterError();
      }
    }
    return stats;
  }

  /** Prints one progress line per second until {@code length} has passed. */
  private void report(String label, Duration length) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + length.toNanos();
    long lastOps = ops.sum();
    long lastErrors = errors.sum();
    for (int second = 1; ; second++) {
      long tick = Math.min(start + second * 1_000_000_000L, end);
      long wait = tick - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      long nowOps = ops.sum();
      long nowErrors = errors.sum();
      double secs = (tick - (start + (second - 1) * 1_000_000_000L)) / 1e9;
      out.printf("[%-6s %4.0fs] %10.0f ops/s, %d errors%n", label,
          (tick - start) / 1e9, (nowOps - lastOps) / secs, nowErrors - lastErrors);
      out.flush();
      lastOps = nowOps;
      lastErrors = nowErrors;
      if (tick >= end) {
        return;
      }
    }
  }

  private byte[] randomValue(SplittableRandom random) {
    byte[] v = new byte[cfg.valueSize()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (byte) ('a' + random.nextInt(26));
    }
    return v;
  }

  private static void pauseAfterError() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T join(Future<T> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("bench worker failed", e.getCause());
    }
  }

  /** The measured statistics and the length of the measured phase. */
  record BenchResult(BenchStats stats, Duration measured) {}
}
