package io.kvstore.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The client's choice of node per attempt, from each node's {@link NodeHealth} (after the load
 * balancing of Finagle and the DataStax driver: outstanding requests, latency, power of two
 * choices). Among the nodes not excluded, those of the best rank (healthy, else slow, else
 * suspect) are candidates; of two drawn at random the one with fewer outstanding requests wins,
 * then the one with the lower smoothed latency. Among suspects (only when nothing better is
 * left: never refuse without trying) the least bad wins: fewest outstanding, then the one that
 * answered last.
 *
 * <p>With the replicas of the call's key (token-aware routing), it picks among those replicas
 * first, by the same rules, and falls back to every node only when no replica is left that is
 * healthy or slow.
 *
 * <p>It also derives the hedge delay from the latency of all answers (RFC 6298 estimator,
 * clamped to the policy's bounds and to half the timeout), which is also how long a node with
 * outstanding requests may stay quiet before it counts as slow, and says which suspects are due
 * a probe.
 *
 * <p>Deterministic: time from the {@link Clock}, randomness from the given generator, no I/O.
 * Thread safe (every method synchronized; the generator is used under the lock only).
 */
final class NodeSelector {
  private final NodeHealth[] nodes;
  private final LatencyEstimate overall = new LatencyEstimate();
  private final RoutingPolicy policy;
  private final Clock clock;
  private final RandomGenerator random;

  NodeSelector(int nodeCount, RoutingPolicy policy, Clock clock, RandomGenerator random) {
    if (nodeCount < 1) {
      throw new IllegalArgumentException("at least one node is needed");
    }
    this.nodes = new NodeHealth[nodeCount];
    for (int i = 0; i < nodeCount; i++) {
      nodes[i] = new NodeHealth();
    }
    this.policy = policy;
    this.clock = clock;
    this.random = random;
  }

  int size() {
    return nodes.length;
  }

  /**
   * The node for the next attempt, or -1 when every node is excluded, or when only suspects are
   * left and {@code allowSuspect} is false.
   */
  synchronized int pick(boolean[] excluded, boolean allowSuspect) {
    long now = clock.nanoTime();
    long quietLimit = hedgeDelayNanos();
    List<Integer> pool = new ArrayList<>(nodes.length);
    NodeHealth.Rank best = null;
    for (int i = 0; i < nodes.length; i++) {
      if (excluded[i]) {
        continue;
      }
      NodeHealth.Rank r = nodes[i].rank(now, quietLimit, policy.probeIntervalNanos());
      if (best == null || r.compareTo(best) < 0) {
        best = r;
        pool.clear();
      }
      if (r == best) {
        pool.add(i);
      }
    }
    if (best == null || (best == NodeHealth.Rank.SUSPECT && !allowSuspect)) {
      return -1;
    }
    return best == NodeHealth.Rank.SUSPECT ? leastBad(pool) : twoChoices(pool);
  }

  /**
   * As {@link #pick(boolean[], boolean)}, preferring the key's {@code replicas} (token-aware
   * routing): the best of the replicas not excluded when it is healthy or slow; when every such
   * replica is suspect (or there is none), the best of all nodes not excluded, so a healthy
   * non-replica, which forwards, wins over a suspect replica.
   */
  synchronized int pick(boolean[] excluded, boolean allowSuspect, int[] replicas) {
    if (replicas.length > 0) {
      boolean[] notReplica = new boolean[nodes.length];
      Arrays.fill(notReplica, true);
      for (int r : replicas) {
        notReplica[r] = excluded[r];
      }
      int node = pick(notReplica, false);
      if (node >= 0) {
        return node;
      }
    }
    return pick(excluded, allowSuspect);
  }

  /** Records that an attempt to {@code node} is sent now; returns its start time. */
  synchronized long begin(int node) {
    long now = clock.nanoTime();
    nodes[node].begin(now);
    return now;
  }

  /** Records how the attempt to {@code node} that began at {@code start} ended. */
  synchronized void end(int node, long start, Outcome outcome) {
    long now = clock.nanoTime();
    if (outcome == Outcome.SUCCESS) {
      overall.sample(now - start);
    }
    nodes[node].end(start, now, outcome);
  }

  /**
   * How long a read waits for its node before it is also sent to another: four mean deviations
   * above the smoothed latency of answers, within [hedgeMin, hedgeMax] (hedgeMax before any
   * answer), and at most half the timeout, so that a hedge is sent well before the deadline.
   */
  synchronized long hedgeDelayNanos() {
    long d = overall.hasSamples() ? overall.upperNanos() : policy.hedgeMaxNanos();
    d = Math.clamp(d, policy.hedgeMinNanos(), policy.hedgeMaxNanos());
    return Math.min(d, policy.timeoutNanos() / 2);
  }

  /** The suspect nodes due a probe now; each is then probing until {@link #probeDone}. */
  synchronized List<Integer> probesDue() {
    long now = clock.nanoTime();
    List<Integer> due = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i].startProbe(now)) {
        due.add(i);
      }
    }
    return due;
  }

  /** A probe of {@code node} ended; one that passed clears the suspicion. */
  synchronized void probeDone(int node, boolean passed) {
    nodes[node].probeDone(passed, clock.nanoTime(), policy.probeIntervalNanos());
  }

  /** The node's rank now (for tests and diagnostics). */
  synchronized NodeHealth.Rank rank(int node) {
    return nodes[node].rank(clock.nanoTime(), hedgeDelayNanos(), policy.probeIntervalNanos());
  }

  /** Requests outstanding at the node (for tests and diagnostics). */
  synchronized int outstanding(int node) {
    return nodes[node].outstanding();
  }

  private int twoChoices(List<Integer> pool) {
    if (pool.size() == 1) {
      return pool.get(0);
    }
    int i = random.nextInt(pool.size());
    int j = random.nextInt(pool.size() - 1);
    int a = pool.get(i);
    int b = pool.get(j >= i ? j + 1 : j);
    return better(b, a) ? b : a;
  }

  /** True when {@code x} is strictly preferable to {@code y}. */
  private boolean better(int x, int y) {
    NodeHealth hx = nodes[x];
    NodeHealth hy = nodes[y];
    if (hx.outstanding() != hy.outstanding()) {
      return hx.outstanding() < hy.outstanding();
    }
    return hx.latencyNanos() < hy.latencyNanos();
  }

  private int leastBad(List<Integer> pool) {
    int best = pool.get(0);
    for (int i : pool.subList(1, pool.size())) {
      NodeHealth h = nodes[i];
      NodeHealth b = nodes[best];
      if (h.outstanding() < b.outstanding()
          || (h.outstanding() == b.outstanding() && h.answeredAfter(b))) {
        best = i;
      }
    }
    return best;
  }
}
