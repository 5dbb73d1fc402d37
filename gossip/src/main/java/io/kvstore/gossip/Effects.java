package io.kvstore.gossip;

import java.util.List;

/**
 * What a step of {@link GossipCore} asks of its caller: requests to send and liveness events to
 * act on (in the order they happened).
 *
 * <p>An immutable value, thread-safe.
 */
public record Effects(List<Outbound> outbound, List<LivenessEvent> events) {
  public Effects {
    outbound = List.copyOf(outbound);
    events = List.copyOf(events);
  }
}
