package io.kvstore.client;

import java.time.Duration;

/**
 * The settings of node selection, hedging and probing, from {@link KvClient.Builder}; all times in
 * nanoseconds. Immutable.
 *
 * @param timeoutNanos the deadline of one attempt
 * @param hedging whether idempotent reads are hedged
 * @param hedgeMinNanos the least hedge delay
 * @param hedgeMaxNanos the largest hedge delay, used too before any latency is known
 * @param probeIntervalNanos how often a suspect node is probed, and how long a node that answered
 *     UNAVAILABLE is demoted
 * @param probeTimeoutNanos the deadline of a probe
 */
record RoutingPolicy(
    long timeoutNanos,
    boolean hedging,
    long hedgeMinNanos,
    long hedgeMaxNanos,
    long probeIntervalNanos,
    long probeTimeoutNanos) {

  /** The longest a probe waits, unless the call timeout is shorter. */
  static final Duration MAX_PROBE_TIMEOUT = Duration.ofSeconds(1);

  RoutingPolicy {
    if (hedgeMinNanos <= 0 || hedgeMaxNanos < hedgeMinNanos) {
      throw new IllegalArgumentException("hedge delay bounds must satisfy 0 < min <= max, got "
          + Duration.ofNanos(hedgeMinNanos) + ", " + Duration.ofNanos(hedgeMaxNanos));
    }
    if (timeoutNanos <= 0 || probeIntervalNanos <= 0 || probeTimeoutNanos <= 0) {
      throw new IllegalArgumentException("timeout, probe interval and probe timeout must be"
          + " positive, got " + Duration.ofNanos(timeoutNanos) + ", "
          + Duration.ofNanos(probeIntervalNanos) + ", " + Duration.ofNanos(probeTimeoutNanos));
    }
  }

  /** A policy whose probe deadline is the smaller of the call timeout and one second. */
  static RoutingPolicy of(Duration timeout, boolean hedging, Duration hedgeMin, Duration hedgeMax,
      Duration probeInterval) {
    long probeTimeout = Math.min(timeout.toNanos(), MAX_PROBE_TIMEOUT.toNanos());
    return new RoutingPolicy(timeout.toNanos(), hedging, hedgeMin.toNanos(), hedgeMax.toNanos(),
        probeInterval.toNanos(), probeTimeout);
  }
}
