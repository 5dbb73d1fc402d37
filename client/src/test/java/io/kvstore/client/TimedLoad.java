package io.kvstore.client;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Closed-loop load for the socket tests: each thread runs operations back to back (half reads of
 * a few keys, half writes of fresh keys, chosen by a seeded random) and records each one's start,
 * end and failure, for the test to cut into time windows. Thread safe; one run per instance.
 */
final class TimedLoad {
  /** One operation: times from {@link System#nanoTime()}, error null on success. */
  record Sample(long start, long end, boolean read, KvException error) {
    long micros() {
      return (end - start) / 1000;
    }
  }

  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stop;

  /**
   * Starts {@code threadCount} workers; worker i draws from seed + i. Each operation goes to the
   * client {@code clients} gives for it (blind writes).
   */
  TimedLoad(int threadCount, long seed, Supplier<KvClient> clients) {
    for (int i = 0; i < threadCount; i++) {
      int worker = i;
      SplittableRandom random = new SplittableRandom(seed + i);
      Thread t = new Thread(() -> work(worker, random, clients), "load-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void work(int worker, SplittableRandom random, Supplier<KvClient> clients) {
    byte[] value = new byte[16];
    for (long n = 0; !stop; n++) {
      boolean read = random.nextBoolean();
      byte[] key = (read ? "hot:" + random.nextInt(50) : "w:" + worker + ":" + n).getBytes();
      long start = System.nanoTime();
      KvException error = null;
      try {
        if (read) {
          clients.get().get(key);
        } else {
          clients.get().put(key, value, Context.EMPTY);
        }
      } catch (KvException e) {
        error = e;
      }
      samples.add(new Sample(start, System.nanoTime(), read, error));
    }
  }

  /** Stops the workers and returns every sample. */
  List<Sample> stop() throws InterruptedException {
    stop = true;
    for (Thread t : threads) {
      t.join(10_000);
    }
    return List.copyOf(samples);
  }

  /** Samples whose start satisfies {@code when}. */
  static List<Sample> startedWhen(List<Sample> all, LongPredicate when) {
    return all.stream().filter(s -> when.test(s.start())).toList();
  }

  /** Operations completed per second between {@code from} and {@code to} (nanoTime). */
  static double throughput(List<Sample> all, long from, long to) {
    long done = all.stream().filter(s -> s.error() == null && s.end() >= from && s.end() < to)
        .count();
    return done / ((to - from) / 1e9);
  }

  static List<Sample> errors(List<Sample> all) {
    return all.stream().filter(s -> s.error() != null).toList();
  }
}
