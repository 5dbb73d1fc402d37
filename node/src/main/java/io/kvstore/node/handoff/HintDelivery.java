package io.kvstore.node.handoff;

import io.kvstore.node.hints.Hint;
import io.kvstore.ring.NodeId;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one hint to its target. The node implements it over gRPC {@code ReplicaWrite}; tests
 * substitute simulated targets. Implementations are thread safe and do not block: the future
 * completes when the target answered (with a deadline, so it always completes).
 */
@FunctionalInterface
public interface HintDelivery {
  /** Merges the hint's sibling set into target's replica; completes when target acked durably. */
  CompletableFuture<Void> deliver(NodeId target, Hint hint);
}
