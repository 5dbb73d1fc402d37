package io.kvstore.node;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import io.kvstore.node.cluster.Membership;
import io.kvstore.node.cluster.StaticMembership;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.node.time.Clock;

/**
 * What a {@link Node} is assembled from besides its configuration: the clock every component
 * reads time from, the storage environment (files, fsync) of the engine and the node's metadata,
 * and the membership (who is in the cluster, the ring). Production uses {@link #defaults}; tests
 * substitute fault-injecting environments or a simulated clock. Immutable.
 */
public record NodeParts(Clock clock, Env storageEnv, Membership membership) {
  /** The real clock, the real file system, and the configured static member list. */
  public static NodeParts defaults(NodeConfig config) {
    return new NodeParts(Clock.system(), DefaultEnv.INSTANCE,
        new StaticMembership(config.members(), config.partitions()));
  }
}
