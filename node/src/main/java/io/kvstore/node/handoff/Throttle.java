package io.kvstore.node.handoff;

import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import java.util.HashMap;
import java.util.Map;

/**
 * The adaptive throttle of hinted handoff: a byte-rate cap over all targets (a token bucket on the
 * {@link Clock}), and per target a concurrency window and an exponential backoff after a failure
 * before that target is tried again. The window works like TCP's congestion window: it doubles per
 * good batch (slow start) until the first failure, which halves it and sets the threshold there;
 * from then on it grows by one per good batch and halves on each failure.
 *
 * <p>The bucket holds no burst: a batch may start only when every byte sent before is paid for,
 * and it is paid for afterwards, so the bytes granted by time {@code t} never exceed {@code rate x
 * t} plus one batch. Callers wait by scheduling, never by sleeping: {@link #reserve} says how long.
 *
 * <p>Thread safe (synchronized); no I/O.
 */
final class Throttle {
  static final int INITIAL_WINDOW = 4;
  static final int MAX_WINDOW = 64;
  static final long MIN_BACKOFF_MILLIS = 1_000;
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private static final class Lane {
    int window = INITIAL_WINDOW;
    int threshold = MAX_WINDOW; // doubling below it, +1 at or above it
    long backoffMillis; // 0 after a success
  }

  private final Clock clock;
  private final long bytesPerSecond;
  private final Map<NodeId, Lane> lanes = new HashMap<>();
  private double debt; // bytes granted but not yet paid for by elapsed time
  private long paidUpToNanos;

  /** @param bytesPerSecond the cap over all targets; 0 or less for none */
  Throttle(Clock clock, long bytesPerSecond) {
    this.clock = clock;
    this.bytesPerSecond = bytesPerSecond;
    this.paidUpToNanos = clock.nanoTime();
  }

  /**
   * Grants {@code bytes} now and returns 0, or grants nothing and returns how many nanoseconds to
   * wait before asking again.
   */
  synchronized long reserve(long bytes) {
    if (bytesPerSecond <= 0) {
      return 0;
    }
    long now = clock.nanoTime();
    debt = Math.max(0, debt - (now - paidUpToNanos) * (bytesPerSecond / 1e9));
    paidUpToNanos = now;
    if (debt > 0) {
      return Math.max(1, (long) Math.ceil(debt / bytesPerSecond * 1e9));
    }
    debt = bytes;
    return 0;
  }

  /** Hints that may be in flight to {@code target} at once. */
  synchronized int window(NodeId target) {
    return lane(target).window;
  }

  /** A batch to {@code target} was durably acknowledged: widen its window, forget its backoff. */
  synchronized void succeeded(NodeId target) {
    Lane l = lane(target);
    l.window = Math.min(MAX_WINDOW, l.window < l.threshold ? l.window * 2 : l.window + 1);
    l.backoffMillis = 0;
  }

  /**
   * A delivery to {@code target} failed: halve its window. Returns how long to wait before trying
   * it again: 1 s, doubling with each failure in a row up to 30 s.
   */
  synchronized long failed(NodeId target) {
    Lane l = lane(target);
    l.window = Math.max(1, l.window / 2);
    l.threshold = l.window;
    l.backoffMillis = l.backoffMillis == 0
        ? MIN_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, l.backoffMillis * 2);
    return l.backoffMillis;
  }

  private Lane lane(NodeId target) {
    return lanes.computeIfAbsent(target, t -> new Lane());
  }
}
