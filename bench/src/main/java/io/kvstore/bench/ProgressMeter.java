package io.kvstore.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Prints a phase's progress to stderr once per second from a daemon thread: items done, the rate
 * over the last second and overall, and every tenth line a detail string (e.g. the level shape).
 * The phase thread calls {@link #add}; {@link #close} stops the printing. Thread safe.
 */
final class ProgressMeter implements AutoCloseable {
  private final String label;
  private final long total;
  private final Supplier<String> detail;
  private final AtomicLong done = new AtomicLong();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;
  private long lastDone;
  private int ticks;

  ProgressMeter(String label, long total, Supplier<String> detail) {
    this.label = label;
    this.total = total;
    this.detail = detail;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "progress-" + label);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  void add(long n) {
    done.addAndGet(n);
  }

  private void print() {
    long now = done.get();
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    StringBuilder line = new StringBuilder(String.format(
        "[%s] %,d", label, now));
    if (total > 0) {
      line.append(String.format(" of %,d (%.0f%%)", total, 100.0 * now / total));
    }
    line.append(String.format(", %,d/s now, %,.0f/s avg, %.0f s", now - lastDone,
        now / elapsed, elapsed));
    if (++ticks % 10 == 0) {
      line.append(", ").append(detail.get());
    }
    lastDone = now;
    System.err.println(line);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
