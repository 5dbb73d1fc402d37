package io.kvstore.gossip;

import java.util.Objects;

/**
 * A request the caller should send: to {@code targetAddress} ("host:port"), naming the intended
 * node where known ({@code targetNodeId} is null for a seed whose id is not known yet). The
 * caller hands the response, if one comes, to {@link GossipCore#onResponse}.
 *
 * <p>An immutable value, thread-safe.
 */
public record Outbound(String targetNodeId, String targetAddress, GossipMessage message) {
  public Outbound {
    Objects.requireNonNull(targetAddress, "targetAddress");
    Objects.requireNonNull(message, "message");
  }
}
