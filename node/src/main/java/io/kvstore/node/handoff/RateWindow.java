package io.kvstore.node.handoff;

/**
 * Hints and bytes delivered over the last ten seconds, in one-second buckets on a monotonic clock
 * (milliseconds), for the replay rate that {@code kv status} and the metrics show.
 *
 * <p>Thread safe (synchronized).
 */
final class RateWindow {
  static final int SECONDS = 10;

  private final long[] second = new long[SECONDS];
  private final long[] hints = new long[SECONDS];
  private final long[] bytes = new long[SECONDS];

  synchronized void add(long nowMillis, long n, long b) {
    long s = Math.floorDiv(nowMillis, 1000);
    int i = (int) Math.floorMod(s, SECONDS);
    if (second[i] != s) {
      second[i] = s;
      hints[i] = 0;
      bytes[i] = 0;
    }
    hints[i] += n;
    bytes[i] += b;
  }

  /** {hints per second, bytes per second} over the ten seconds up to {@code nowMillis}. */
  synchronized double[] rates(long nowMillis) {
    long s = Math.floorDiv(nowMillis, 1000);
    long h = 0;
    long b = 0;
    for (int i = 0; i < SECONDS; i++) {
      if (second[i] > s - SECONDS && second[i] <= s) {
        h += hints[i];
        b += bytes[i];
      }
    }
    return new double[] {h / (double) SECONDS, b / (double) SECONDS};
  }
}
