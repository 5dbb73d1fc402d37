package io.kvstore.node.coord;

import io.grpc.Deadline;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How a coordinator talks to other replicas. The gRPC implementation is the real one; protocol
 * tests substitute a simulated network. A future fails with a {@link io.kvstore.node.NodeError};
 * {@link io.kvstore.node.NodeError#unreachable()} tells that the request never reached the target.
 */
public interface ReplicaClient {
  /** Merges {@code state} into the target's replica of {@code key}; completes when durable. */
  CompletableFuture<SiblingSet> write(NodeId target, byte[] key, SiblingSet state, Deadline deadline);

  /**
   * Stores {@code state} on {@code fallback} as a hint for {@code owner}, a primary replica that is
   * down or slow (sloppy quorum); completes when the hint is durable, with the fallback's merged
   * hints for the key.
   */
  CompletableFuture<SiblingSet> hint(NodeId fallback, NodeId owner, byte[] key, SiblingSet state,
      Deadline deadline);

  /** The target's local sibling set of {@code key} (empty if it has none). */
  CompletableFuture<Optional<SiblingSet>> read(NodeId target, byte[] key, Deadline deadline);

  /**
   * The {@link Digest} of the sibling set {@link #read} would answer with (of the empty set if
   * the target has none): a digest read.
   */
  CompletableFuture<Digest> readDigest(NodeId target, byte[] key, Deadline deadline);

  /** Asks a replica of the key to coordinate a write (this node is not a replica). */
  CompletableFuture<WriteResult> forward(NodeId target, WriteRequest request, Deadline deadline);
}
