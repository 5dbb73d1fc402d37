package io.kvstore.gossip;

/**
 * The phi accrual failure detector of one peer (Hayashibara et al. 2004), with Akka's model:
 * inter-arrival times of heartbeats are taken as normally distributed with the mean of the
 * sampled window plus an acceptable pause, and a standard deviation of at least a minimum; phi
 * is {@code -log10(1 - CDF(elapsed))}, where CDF is Akka's logistic approximation of the normal
 * distribution, {@code 1 / (1 + exp(-y (1.5976 + 0.070566 y^2)))} with {@code y = (elapsed -
 * mean) / stdDev}. Phi 1 means a 10% chance that a heartbeat is still to come, phi 8 a 10^-8
 * chance.
 *
 * <p>Not thread-safe: one owner drives it. Deterministic: time comes in as arguments. Invariants:
 * the window holds at most {@code windowSize} samples, each in (0, maxSampleGapMillis]; the
 * running sums equal the sums over the window exactly (integer arithmetic).
 *
 * <p>The first heartbeat (or {@link #startClock}) only starts the clock. Until the first sample
 * exists the expected interval is {@code tickMillis} with a standard deviation of a quarter of
 * it (Akka's first-heartbeat estimate), so a peer that never answers is still convicted.
 */
public final class PhiAccrualDetector {
  private final long estimateMillis;
  private final long minStdDevMillis;
  private final long acceptablePauseMillis;
  private final long maxSampleGapMillis;
  private final long[] window;

  private int count;
  private int next;
  private long sum;
  private long sumOfSquares;
  private boolean started;
  private boolean lastWasHeartbeat;
  private long last;

  public PhiAccrualDetector(GossipConfig config) {
    this.estimateMillis = config.tickMillis();
    this.minStdDevMillis = config.minStdDevMillis();
    this.acceptablePauseMillis = config.acceptablePauseMillis();
    this.maxSampleGapMillis = config.maxSampleGapMillis();
    this.window = new long[config.windowSize()];
  }

  /**
   * Records a heartbeat at {@code nowMillis}. The gap since the previous heartbeat becomes a
   * sample unless it is longer than {@code maxSampleGapMillis} or not positive; a time before the
   * previous heartbeat does not move the clock back.
   */
  public void heartbeat(long nowMillis) {
    if (started && nowMillis < last) {
      return;
    }
    if (started && lastWasHeartbeat) {
      long gap = nowMillis - last;
      if (gap > 0 && gap <= maxSampleGapMillis) {
        add(gap);
      }
    }
    started = true;
    lastWasHeartbeat = true;
    last = nowMillis;
  }

  /**
   * Starts the clock at {@code nowMillis} without a heartbeat, if it is not running: phi grows
   * from then on as if a heartbeat had arrived, but the interval to the next real heartbeat is
   * not sampled. For a peer learnt from gossip that has not answered yet.
   */
  public void startClock(long nowMillis) {
    if (!started) {
      started = true;
      lastWasHeartbeat = false;
      last = nowMillis;
    }
  }

  /** Forgets everything: history and clock. Phi is 0 until the clock starts again. */
  public void reset() {
    count = 0;
    next = 0;
    sum = 0;
    sumOfSquares = 0;
    started = false;
    lastWasHeartbeat = false;
  }

  /** Phi at {@code nowMillis}: 0 if the clock has not started; may be +infinity. */
  public double phi(long nowMillis) {
    if (!started) {
      return 0.0;
    }
    double mean;
    double stdDev;
    if (count == 0) {
      mean = estimateMillis;
      stdDev = estimateMillis / 4.0;
    } else {
      mean = (double) sum / count;
      stdDev = Math.sqrt(Math.max(0.0, (double) sumOfSquares / count - mean * mean));
    }
    return phi(Math.max(0, nowMillis - last), mean + acceptablePauseMillis,
        Math.max(stdDev, minStdDevMillis));
  }

  /** Number of samples in the window. */
  public int sampleCount() {
    return count;
  }

  /** Time of the last heartbeat or clock start; meaningless before either. */
  public long lastMillis() {
    return last;
  }

  /** Akka's {@code PhiAccrualFailureDetector.phi}, written to avoid overflow on either side. */
  static double phi(long elapsed, double mean, double stdDev) {
    double y = (elapsed - mean) / stdDev;
    double e = Math.exp(-y * (1.5976 + 0.070566 * y * y));
    if (elapsed > mean) {
      return -Math.log10(e / (1.0 + e));
    }
    return -Math.log10(1.0 - 1.0 / (1.0 + e));
  }

  private void add(long sample) {
    if (count == window.length) {
      long evicted = window[next];
      sum -= evicted;
      sumOfSquares -= evicted * evicted;
    } else {
      count++;
    }
    window[next] = sample;
    next = (next + 1) % window.length;
    sum += sample;
    sumOfSquares += sample * sample;
  }
}
