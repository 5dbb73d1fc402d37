package io.kvstore.gossip.sim;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Virtual time for the simulation: a queue of timed actions run in (time, insertion) order, so a
 * run depends on nothing but what was scheduled. Time jumps from one action to the next; callers
 * that watch for a condition advance it in small steps ({@link SimNetwork#runUntil}).
 *
 * <p>Not thread-safe; one test thread drives it. Invariant: {@link #now} never decreases.
 */
final class SimClock {
  private record Timer(long at, long seq, Runnable action) {}

  private final PriorityQueue<Timer> queue =
      new PriorityQueue<>(Comparator.comparingLong(Timer::at).thenComparingLong(Timer::seq));
  private long now;
  private long nextSeq;

  long now() {
    return now;
  }

  /** Runs {@code action} at {@code at}, or now if {@code at} has passed. */
  void schedule(long at, Runnable action) {
    queue.add(new Timer(Math.max(at, now), nextSeq++, action));
  }

  /** Runs every action due up to {@code until}, then sets the time to {@code until}. */
  void runUntil(long until) {
    while (!queue.isEmpty() && queue.peek().at() <= until) {
      Timer t = queue.poll();
      now = t.at();
      t.action().run();
    }
    now = Math.max(now, until);
  }
}
