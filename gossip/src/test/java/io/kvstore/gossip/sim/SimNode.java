package io.kvstore.gossip.sim;

import io.kvstore.gossip.GossipCore;
import java.util.List;

/**
 * One simulated node process: its address, seeds, persisted generation and, while it runs, its
 * {@link GossipCore}. Each start is a new incarnation; messages and timers of an earlier
 * incarnation are ignored when they arrive.
 *
 * <p>Not thread-safe; owned by {@link SimNetwork}. Invariants: a dead node is not paused;
 * {@code generation} only grows.
 */
final class SimNode {
  final String id;
  final String address;
  final List<String> seeds;
  long generation;
  GossipCore core;
  int incarnation;
  long startedAt;
  boolean dead = true;
  boolean paused;
  /** A tick fell due while paused: the stalled loop runs it as soon as it resumes. */
  boolean tickOverdue;

  SimNode(String id, List<String> seeds) {
    this.id = id;
    this.address = id + ":7000";
    this.seeds = List.copyOf(seeds);
  }

  /** Whether the process takes messages now: running and not paused. */
  boolean responsive() {
    return !dead && !paused;
  }

  GossipCore core() {
    return core;
  }
}
