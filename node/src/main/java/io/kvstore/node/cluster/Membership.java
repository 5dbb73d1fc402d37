package io.kvstore.node.cluster;

import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.Map;

/**
 * Who is in the cluster and where they listen, and the ring built over them. The configured,
 * static implementation is {@link StaticMembership}; gossip will provide a dynamic one behind the
 * same interface. Implementations are thread safe.
 */
public interface Membership {
  /** Member id to gRPC address (host:port). */
  Map<NodeId, String> addresses();

  Ring ring();
}
