package io.kvstore.gossip;

/**
 * Timing and detector parameters of one node's gossip and failure detection (DESIGN.md section
 * 5). All durations are in milliseconds of the caller's monotonic clock.
 *
 * <p>An immutable value, thread-safe. Invariants (checked by the constructor, which names the
 * offending field): durations are positive (the acceptable pause and quiet period may be 0),
 * {@code phiThreshold} is positive and finite, {@code windowSize >= 1}, probabilities lie in
 * [0, 1].
 *
 * @param tickMillis period of the local loop: every tick pings every known peer and sends one
 *     gossip exchange; also the detector's estimate of the interval before any sample exists
 * @param phiThreshold a peer is convicted when its phi exceeds this
 * @param windowSize how many inter-arrival samples each detector remembers
 * @param minStdDevMillis floor of the detector's standard deviation, so a very regular history
 *     does not make every small delay look fatal
 * @param acceptablePauseMillis added to the mean interval: a silence this long is tolerated
 * @param maxSampleGapMillis inter-arrival gaps longer than this are not sampled, so a long
 *     partition does not teach the detector to expect long gaps
 * @param pauseGuardMillis a gap between two local ticks longer than this means the local node
 *     itself stalled (GC, SIGSTOP)
 * @param pauseQuietMillis after such a stall the node convicts nobody for this long
 * @param unreachableGossipProbability chance per tick of an extra exchange with a down peer
 * @param seedGossipProbability chance per tick of an extra exchange with a seed
 */
public record GossipConfig(
    long tickMillis,
    double phiThreshold,
    int windowSize,
    long minStdDevMillis,
    long acceptablePauseMillis,
    long maxSampleGapMillis,
    long pauseGuardMillis,
    long pauseQuietMillis,
    double unreachableGossipProbability,
    double seedGossipProbability) {

  public GossipConfig {
    positive("tickMillis", tickMillis);
    if (!(phiThreshold > 0) || Double.isInfinite(phiThreshold)) {
      throw new IllegalArgumentException(
          "phiThreshold must be positive and finite, got " + phiThreshold);
    }
    positive("windowSize", windowSize);
    positive("minStdDevMillis", minStdDevMillis);
    notNegative("acceptablePauseMillis", acceptablePauseMillis);
    positive("maxSampleGapMillis", maxSampleGapMillis);
    try {
      Math.multiplyExact(Math.multiplyExact(maxSampleGapMillis, maxSampleGapMillis), windowSize);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "maxSampleGapMillis too large for exact window sums: " + maxSampleGapMillis);
    }
    positive("pauseGuardMillis", pauseGuardMillis);
    notNegative("pauseQuietMillis", pauseQuietMillis);
    probability("unreachableGossipProbability", unreachableGossipProbability);
    probability("seedGossipProbability", seedGossipProbability);
  }

  /**
   * The defaults of DESIGN.md section 5 (Akka's detector settings): with a peer answering every
   * second, a silent peer is convicted about 4.5 s after its last answer.
   */
  public static GossipConfig defaults() {
    return new GossipConfig(1000, 8.0, 1000, 100, 3000, 2000, 3000, 5000, 0.1, 0.1);
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }

  private static void notNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }

  private static void probability(String field, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], got " + value);
    }
  }
}
