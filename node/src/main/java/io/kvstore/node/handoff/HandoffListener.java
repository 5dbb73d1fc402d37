package io.kvstore.node.handoff;

import io.kvstore.ring.NodeId;

/**
 * Learns what the handoff manager delivered, e.g. to drop a key from the index that answers reads
 * from hints. Called on the manager's executor; implementations must be thread safe and quick.
 */
public interface HandoffListener {
  /** After the target durably acked this hint (and its checkpoint moved past it). */
  void delivered(NodeId target, byte[] key);

  /** Target has no undelivered hints left. */
  void drained(NodeId target);

  /** Ignores everything. */
  HandoffListener NONE =
      new HandoffListener() {
        @Override
        public void delivered(NodeId target, byte[] key) {}

        @Override
        public void drained(NodeId target) {}
      };
}
