package io.kvstore.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed-duration measurement of random point lookups of present keys from a given number of
 * threads. Each thread draws key indexes from its own seeded random source, checks every answer,
 * and counts; the result is total lookups per second of wall time. Stateless between runs.
 */
final class GetPhase {
  private final Engine engine;
  private final KeySpace keys;
  private final long keyCount;

  GetPhase(Engine engine, KeySpace keys, long keyCount) {
    this.engine = engine;
    this.keys = keys;
    this.keyCount = keyCount;
  }

  /** Runs {@code threads} readers for {@code seconds}; returns lookups per second. */
  double run(int threads, double seconds, long seed) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      long deadline = start + (long) (seconds * 1e9);
      List<Future<Long>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = new SplittableRandom(seed + t);
        futures.add(pool.submit(() -> readUntil(deadline, random)));
      }
      long total = 0;
      for (Future<Long> f : futures) {
        total += f.get();
      }
      return total / ((System.nanoTime() - start) / 1e9);
    } catch (ExecutionException e) {
      throw new IllegalStateException("reader failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private long readUntil(long deadline, SplittableRandom random) {
    long n = 0;
    while (true) {
      for (int i = 0; i < 256; i++) {
        if (engine.get(keys.key(random.nextLong(keyCount))) == null) {
          throw new IllegalStateException("a stored key was not found");
        }
      }
      n += 256;
      if (System.nanoTime() >= deadline) {
        return n;
      }
    }
  }
}
