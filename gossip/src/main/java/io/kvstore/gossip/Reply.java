package io.kvstore.gossip;

import java.util.List;
import java.util.Objects;

/**
 * The answer to an inbound request, for the caller to send back, and the liveness events that
 * handling the request caused (a peer learnt, a restart or shutdown seen in gossip).
 *
 * <p>An immutable value, thread-safe.
 */
public record Reply(GossipMessage response, List<LivenessEvent> events) {
  public Reply {
    Objects.requireNonNull(response, "response");
    events = List.copyOf(events);
  }
}
