package io.kvstore.node.coord;

import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read repair (Dynamo 4.7): after a read, every replica that answered with a state other than the
 * merge of all answers is sent the merge. Runs off the client's path ({@link RepairQueue}); each
 * attempt and each failure is reported to the listener. Thread safe.
 */
final class ReadRepair {
  private static final Logger LOG = LoggerFactory.getLogger(ReadRepair.class);
  private final NodeId self;
  private final ReplicaStore local;
  private final ReplicaClient remote;
  private final CoordinatorRuntime rt;
  private final long timeoutMillis;
  private final CoordinatorListener listener;

  ReadRepair(NodeId self, ReplicaStore local, ReplicaClient remote, CoordinatorRuntime rt,
      long timeoutMillis, CoordinatorListener listener) {
    this.self = self;
    this.local = local;
    this.remote = remote;
    this.rt = rt;
    this.timeoutMillis = timeoutMillis;
    this.listener = listener;
  }

  /**
   * Brings every replica (of {@code primaries}) that answered with a stale or concurrent state up
   * to the merge of all replies. A fallback's reply (its hints) joins the merge, so hinted data
   * reaches the up primaries, but a fallback is never written to: hints stay out of its own data.
   */
  void repair(byte[] key, Map<NodeId, SiblingSet> replies, Set<NodeId> primaries) {
    SiblingSet merged = merge(replies);
    if (merged.isEmpty()) {
      return;
    }
    for (Map.Entry<NodeId, SiblingSet> e : replies.entrySet()) {
      if (e.getValue().equals(merged) || !primaries.contains(e.getKey())) {
        continue;
      }
      NodeId target = e.getKey();
      listener.readRepair(target.id());
      if (target.equals(self)) {
        try {
          local.merge(key, merged);
        } catch (RuntimeException ex) {
          listener.readRepairFailed(target.id());
          LOG.warn("event=read_repair_failed node={} target={} error=\"{}\"", self.id(),
              target.id(), ex.toString());
        }
      } else {
        remote.write(target, key, merged, rt.clock().deadlineAfter(timeoutMillis))
            .whenComplete((x, ex) -> {
              if (ex != null) {
                // Counted; logged at debug only: a replica that is down fails every repair.
                listener.readRepairFailed(target.id());
                LOG.debug("event=read_repair_failed node={} target={} error=\"{}\"", self.id(),
                    target.id(), Coordinator.unwrap(ex).toString());
              }
            });
      }
    }
  }

  static SiblingSet merge(Map<NodeId, SiblingSet> replies) {
    SiblingSet merged = SiblingSet.EMPTY;
    for (SiblingSet s : replies.values()) {
      merged = SiblingSet.sync(merged, s);
    }
    return merged;
  }
}
