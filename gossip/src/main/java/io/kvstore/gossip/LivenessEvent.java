package io.kvstore.gossip;

import java.util.Objects;

/**
 * A change in what one node believes about a peer's liveness. Replaying a node's events from the
 * start, with "Up adds, Down removes", gives exactly the set of peers {@link GossipCore#isAlive}
 * answers true for; {@link Restarted} is informational.
 *
 * <p>Immutable values, thread-safe.
 */
public sealed interface LivenessEvent {
  String nodeId();

  /**
   * The peer is now considered alive: it was just learnt (peers start alive, with no history),
   * or an ack to this node's own ping arrived after it had been down.
   */
  record Up(String nodeId) implements LivenessEvent {
    public Up {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /**
   * The peer is now considered down: convicted by its detector ({@code phi} above the threshold),
   * or it announced a graceful shutdown (then {@code phi} is just its current value, possibly
   * low, and its gossip entry says {@link MemberStatus#SHUTDOWN}).
   */
  record Down(String nodeId, double phi) implements LivenessEvent {
    public Down {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }

  /**
   * The peer runs a newer generation than before: it restarted. Its detector history was
   * discarded (the new process's timing owes nothing to the old one's).
   */
  record Restarted(String nodeId, long generation) implements LivenessEvent {
    public Restarted {
      Objects.requireNonNull(nodeId, "nodeId");
    }
  }
}
