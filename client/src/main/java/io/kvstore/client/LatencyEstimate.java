package io.kvstore.client;

/**
 * A smoothed latency and its mean deviation, updated per sample the way TCP estimates its
 * round-trip time (RFC 6298: gains 1/8 and 1/4). {@link #upperNanos()}, the smoothed latency plus
 * four deviations, is the retransmission timeout of TCP and here the point after which a read is
 * hedged: rarely reached by a node that behaves as it has, quickly by one that stopped answering.
 *
 * <p>Not thread safe: {@link NodeSelector} guards it.
 */
final class LatencyEstimate {
  private double smoothed = -1;
  private double deviation;

  /** Adds one observed latency. */
  void sample(long nanos) {
    double r = Math.max(0, nanos);
    if (smoothed < 0) {
      smoothed = r;
      deviation = r / 2;
    } else {
      deviation = 0.75 * deviation + 0.25 * Math.abs(smoothed - r);
      smoothed = 0.875 * smoothed + 0.125 * r;
    }
  }

  boolean hasSamples() {
    return smoothed >= 0;
  }

  /** The smoothed latency, 0 before the first sample. */
  long smoothedNanos() {
    return hasSamples() ? Math.round(smoothed) : 0;
  }

  /** Smoothed latency plus four mean deviations; 0 before the first sample. */
  long upperNanos() {
    return hasSamples() ? Math.round(smoothed + 4 * deviation) : 0;
  }
}
