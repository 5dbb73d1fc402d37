package io.kvstore.node.gossip;

import io.kvstore.gossip.GossipMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Carries the gossip core's requests to a peer and brings back its response. The gRPC
 * implementation is {@link GrpcGossipTransport}; a test can carry messages between drivers in
 * memory. Implementations are thread safe.
 */
public interface GossipTransport {
  /**
   * Sends {@code request} (a Ping or a Syn) to {@code address}; completes with the response, or
   * exceptionally if none came within {@code timeoutMillis}.
   */
  CompletableFuture<GossipMessage> send(String address, GossipMessage request, long timeoutMillis);
}
