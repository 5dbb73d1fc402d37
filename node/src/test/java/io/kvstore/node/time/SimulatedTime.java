package io.kvstore.node.time;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/**
 * A clock and scheduler that move only when the test says so: {@link #advance} runs every task
 * that falls due, in time order, on the calling thread. Deterministic. Thread safe (synchronized)
 * so that callbacks completing on other threads may schedule. Shared by the protocol tests of
 * several packages (coordinator, handoff).
 */
public final class SimulatedTime implements Clock, Scheduler {
  private record Task(long at, long seq, Runnable run, long period, boolean[] cancelled) {}

  private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at
      ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long now = 1_000_000_000L;
  private long seq;

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public long currentTimeMillis() {
    return TimeUnit.NANOSECONDS.toMillis(nanoTime());
  }

  @Override
  public synchronized Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
    return add(task, unit.toNanos(delay), 0);
  }

  @Override
  public synchronized Cancellable scheduleWithFixedDelay(Runnable task, long delay, TimeUnit unit) {
    return add(task, unit.toNanos(delay), unit.toNanos(delay));
  }

  private Cancellable add(Runnable run, long delayNanos, long period) {
    boolean[] cancelled = new boolean[1];
    tasks.add(new Task(now + Math.max(0, delayNanos), seq++, run, period, cancelled));
    return () -> {
      synchronized (this) {
        cancelled[0] = true;
      }
    };
  }

  /** Moves time forward by {@code millis}, running what falls due on the way. */
  public void advance(long millis) {
    long end;
    synchronized (this) {
      end = now + TimeUnit.MILLISECONDS.toNanos(millis);
    }
    while (true) {
      Task t;
      synchronized (this) {
        t = tasks.peek();
        if (t == null || t.at > end) {
          now = end;
          return;
        }
        tasks.poll();
        now = t.at;
        if (t.cancelled[0]) {
          continue;
        }
        if (t.period > 0) {
          tasks.add(new Task(t.at + t.period, seq++, t.run, t.period, t.cancelled));
        }
      }
      t.run.run();
    }
  }
}
