package io.kvstore.node.coord;

import io.kvstore.node.versioning.Actor;
import io.kvstore.ring.NodeId;

/**
 * What a {@link Coordinator} is configured with. Immutable.
 *
 * @param self this node
 * @param actor the versioning actor of this node's current incarnation
 * @param n replicas per key
 * @param warnSiblings a write leaving this many siblings is reported to the listener
 * @param maxSiblings a write that would exceed this many siblings is refused
 * @param repairTimeoutMillis deadline of a read-repair write
 * @param replicaTimeoutMinMillis lower bound of the per-replica timeout ({@link ReplicaTimeout})
 * @param replicaTimeoutMaxMillis upper bound of the per-replica timeout, and its value until
 *     enough replies were seen
 */
public record CoordinatorSettings(
    NodeId self,
    Actor actor,
    int n,
    int warnSiblings,
    int maxSiblings,
    long repairTimeoutMillis,
    long replicaTimeoutMinMillis,
    long replicaTimeoutMaxMillis) {

  /** Multiplier of the replicas' recent p99 latency that makes the per-replica timeout. */
  static final double REPLICA_TIMEOUT_P99_MULTIPLIER = 3.0;

  public CoordinatorSettings {
    if (n < 1 || warnSiblings < 1 || maxSiblings < warnSiblings || repairTimeoutMillis < 1
        || replicaTimeoutMinMillis < 1 || replicaTimeoutMaxMillis < replicaTimeoutMinMillis) {
      throw new IllegalArgumentException("invalid coordinator settings: " + this);
    }
  }

  ReplicaTimeout newReplicaTimeout() {
    return new ReplicaTimeout(replicaTimeoutMinMillis * 1_000_000L,
        replicaTimeoutMaxMillis * 1_000_000L, REPLICA_TIMEOUT_P99_MULTIPLIER);
  }
}
