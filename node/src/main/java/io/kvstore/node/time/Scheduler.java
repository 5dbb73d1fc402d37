package io.kvstore.node.time;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks later. Production wraps a {@link ScheduledExecutorService}; tests substitute a
 * scheduler driven by a simulated clock. Implementations are thread safe.
 */
public interface Scheduler {
  /** A scheduled task that can be called off. */
  interface Cancellable {
    /** Cancels the task if it has not started; harmless afterwards. */
    void cancel();
  }

  /** Runs {@code task} once after {@code delay}. */
  Cancellable schedule(Runnable task, long delay, TimeUnit unit);

  /**
   * Runs {@code task} repeatedly, {@code delay} after the end of the previous run (first after
   * one delay). Runs missed while the process was stopped are not caught up in a burst.
   */
  Cancellable scheduleWithFixedDelay(Runnable task, long delay, TimeUnit unit);

  /** A scheduler over an executor the caller owns (and shuts down). */
  static Scheduler of(ScheduledExecutorService executor) {
    return new Scheduler() {
      @Override
      public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        return cancellable(executor.schedule(task, delay, unit));
      }

      @Override
      public Cancellable scheduleWithFixedDelay(Runnable task, long delay, TimeUnit unit) {
        return cancellable(executor.scheduleWithFixedDelay(task, delay, delay, unit));
      }
    };
  }

  private static Cancellable cancellable(ScheduledFuture<?> f) {
    return () -> f.cancel(false);
  }
}
