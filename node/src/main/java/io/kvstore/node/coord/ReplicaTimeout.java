package io.kvstore.node.coord;

import java.util.Arrays;

/**
 * The per-replica timeout: how long a coordinator waits for one replica before treating it as
 * slow, derived from the latencies replicas have shown lately ({@code multiplier} x their 99th
 * percentile over the last {@link #WINDOW} replies), clamped to [{@code minNanos},
 * {@code maxNanos}]. Before enough samples it is {@code maxNanos}. Only answers are sampled, so a
 * silent replica does not stretch the timeout that is meant to route around it.
 *
 * <p>Thread safe (synchronized); the percentile is recomputed every {@link #RECOMPUTE_EVERY}
 * samples, so recording costs a few nanoseconds.
 */
public final class ReplicaTimeout {
  static final int WINDOW = 512;
  static final int RECOMPUTE_EVERY = 64;
  private final long minNanos;
  private final long maxNanos;
  private final double multiplier;
  private final long[] samples = new long[WINDOW];
  private long count;
  private volatile long current;

  public ReplicaTimeout(long minNanos, long maxNanos, double multiplier) {
    if (minNanos <= 0 || maxNanos < minNanos || multiplier < 1) {
      throw new IllegalArgumentException("need 0 < min <= max and multiplier >= 1, got min="
          + minNanos + " max=" + maxNanos + " multiplier=" + multiplier);
    }
    this.minNanos = minNanos;
    this.maxNanos = maxNanos;
    this.multiplier = multiplier;
    this.current = maxNanos;
  }

  /** Records how long a replica took to answer. */
  public synchronized void record(long nanos) {
    samples[(int) (count % WINDOW)] = nanos;
    count++;
    if (count >= RECOMPUTE_EVERY && count % RECOMPUTE_EVERY == 0) {
      int n = (int) Math.min(count, WINDOW);
      long[] sorted = Arrays.copyOf(samples, n);
      Arrays.sort(sorted);
      long p99 = sorted[Math.min(n - 1, (int) Math.ceil(n * 0.99) - 1)];
      current = Math.max(minNanos, Math.min(maxNanos, (long) (p99 * multiplier)));
    }
  }

  /** The current timeout in nanoseconds. */
  public long nanos() {
    return current;
  }
}
