package io.kvstore.node.antientropy;

import io.kvstore.node.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket of {@code perSecond} units, holding at most one second's worth: {@link #delay}
 * takes units and says how long the caller must wait before using them, so a burst spreads out
 * to the rate (anti-entropy's keys/s and bytes/s caps, the rebuild scan rate). A request larger
 * than a second's worth is allowed and paid for by the following ones.
 *
 * <p>Thread safe (synchronized); time from the {@link Clock}.
 */
public final class Budget {
  private final Clock clock;
  private final double perSecond;
  private double tokens;
  private long last;

  public Budget(Clock clock, double perSecond) {
    this.clock = clock;
    this.perSecond = perSecond;
    this.tokens = perSecond;
    this.last = clock.nanoTime();
  }

  /** Takes {@code units}; returns the nanoseconds to wait before using them (0 = now). */
  public synchronized long delay(long units) {
    long now = clock.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - last) * perSecond / 1e9);
    last = now;
    tokens -= units;
    return tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
  }

  /** Takes {@code units} and sleeps for the delay; throws if interrupted (shutdown). */
  public void acquire(long units) {
    long wait = delay(units);
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("anti-entropy interrupted (shutting down)", e);
      }
    }
  }
}
