package io.kvstore.gossip.sim;

import io.kvstore.gossip.GossipConfig;

/**
 * The conditions of one simulated run: the seed everything random derives from, per-message
 * loss, per-message latency range, the jitter of each node's tick period, and the nodes' gossip
 * settings.
 *
 * <p>An immutable value.
 */
record SimConfig(
    long seed,
    double lossProbability,
    long minLatencyMillis,
    long maxLatencyMillis,
    long tickJitterMillis,
    GossipConfig gossip) {

  SimConfig {
    if (lossProbability < 0 || lossProbability >= 1) {
      throw new IllegalArgumentException("lossProbability " + lossProbability);
    }
    if (minLatencyMillis < 1 || maxLatencyMillis < minLatencyMillis) {
      throw new IllegalArgumentException("latency " + minLatencyMillis + ".." + maxLatencyMillis);
    }
  }

  /** No loss, 1-10 ms latency, ticks jittered by up to 20 ms, default gossip settings. */
  static SimConfig of(long seed) {
    return new SimConfig(seed, 0.0, 1, 10, 20, GossipConfig.defaults());
  }

  SimConfig withLoss(double loss) {
    return new SimConfig(seed, loss, minLatencyMillis, maxLatencyMillis, tickJitterMillis, gossip);
  }

  SimConfig withLatency(long min, long max) {
    return new SimConfig(seed, lossProbability, min, max, tickJitterMillis, gossip);
  }
}
