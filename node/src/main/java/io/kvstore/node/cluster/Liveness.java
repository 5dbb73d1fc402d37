package io.kvstore.node.cluster;

import io.kvstore.ring.NodeId;

/**
 * Whether a node is believed up: the failure detector's verdict as routing sees it. A "down"
 * verdict changes routing only; it never removes a node from the ring. Implementations are thread
 * safe and cheap (called on every request).
 */
@FunctionalInterface
public interface Liveness {
  /** True unless the detector has convicted {@code node}; this node itself is always up. */
  boolean isUp(NodeId node);

  /**
   * Whether {@code node} answered its last heartbeat on time (a node not yet convicted may have
   * stopped answering a second ago: paused, or cut off). Callers prefer answering nodes where
   * any of several will do. Default: as {@link #isUp}.
   */
  default boolean answering(NodeId node) {
    return isUp(node);
  }

  /** Every node up: no failure detection. */
  Liveness ALL_UP = node -> true;
}
