package io.kvstore.node.antientropy;

import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * When a tombstone may be purged here (DESIGN.md section 7). A state qualifies when all its
 * siblings are tombstones, deleted at {@code t} (the latest), and {@code t + grace} is before the
 * start of an exchange with every co-replica of the partition that completed at least a hint
 * window ago ({@link ExchangeLog#confirmedStart}). Then:
 *
 * <ul>
 *   <li>every primary holds the tombstone or a successor: the exchanges started after it existed
 *       here (the grace period also absorbs clock skew between the deleting coordinator and this
 *       node) and completed;
 *   <li>no hint can still bring back a value it superseded: such a hint was written before the
 *       exchanges ended, more than a hint window ago, and receivers refuse hints older than the
 *       window;
 *   <li>never on a timer alone: without completed exchanges nothing is purged.
 * </ul>
 *
 * With no co-replica (N = 1), the exchanges are vacuous and only the grace and the hint window
 * count. The same test decides what anti-entropy does not hand to a peer that lacks the key: a
 * state this node may purge is purged, not copied back.
 *
 * <p>Thread safe (reads the ring supplier and the synchronized log).
 */
public final class PurgePolicy {
  private final NodeId self;
  private final Supplier<Ring> ring;
  private final int n;
  private final ExchangeLog log;
  private final long graceMillis;
  private final long hintWindowMillis;

  public PurgePolicy(NodeId self, Supplier<Ring> ring, int n, ExchangeLog log, long graceMillis,
      long hintWindowMillis) {
    this.self = self;
    this.ring = ring;
    this.n = n;
    this.log = log;
    this.graceMillis = graceMillis;
    this.hintWindowMillis = hintWindowMillis;
  }

  /** The other primaries of {@code partition}; null if this node is not one of them. */
  public List<NodeId> coReplicas(int partition) {
    List<NodeId> primaries = ring.get().preferenceList(partition, n);
    if (!primaries.contains(self)) {
      return null;
    }
    List<NodeId> out = new ArrayList<>(primaries);
    out.remove(self);
    return out;
  }

  /** Whether tombstones of {@code partition} deleted at {@code deletedAt} may go at {@code now}. */
  public boolean purgeable(int partition, long deletedAt, long now) {
    if (deletedAt == 0) {
      return false;
    }
    List<NodeId> peers = coReplicas(partition);
    if (peers == null) {
      return false;
    }
    long confirmed = peers.isEmpty() ? now - hintWindowMillis
        : log.confirmedStart(partition, peers, now);
    return confirmed != Long.MIN_VALUE && deletedAt + graceMillis < confirmed;
  }

  /** Whether {@code state} of a key of {@code partition} may be purged at {@code now}. */
  public boolean purgeable(int partition, SiblingSet state, long now) {
    return purgeable(partition, ReplicaStore.deletedAt(state), now);
  }
}
