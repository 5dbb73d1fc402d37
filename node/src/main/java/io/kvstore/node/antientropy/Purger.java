package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyHashes;
import io.kvstore.lsm.KvIterator;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.SiblingSet;

/**
 * Tombstone purge of one partition: when {@link Trees} noted a tombstone-only state whose delete
 * time the {@link PurgePolicy} now allows, scan the partition and remove every state that
 * qualifies, each only if it is still the state scanned ({@link ReplicaStore#removeIf}); the
 * candidates left for later are noted again. The store's change reporting updates the tree, so
 * every replica that purges a key removes exactly its entry hash, as a delete would.
 *
 * <p>Thread safe in that sense: runs on the anti-entropy thread while writes go on.
 */
final class Purger {
  private final Trees trees;
  private final ReplicaStore store;
  private final PurgePolicy policy;

  Purger(Trees trees, ReplicaStore store, PurgePolicy policy) {
    this.trees = trees;
    this.store = store;
    this.policy = policy;
  }

  /** Purges what qualifies in {@code partition} at {@code now}; returns how many keys went. */
  long purge(int partition, long now) {
    long earliest = trees.takeTombstones(partition);
    if (earliest == 0) {
      return 0;
    }
    if (!policy.purgeable(partition, earliest, now)) {
      trees.noteTombstone(partition, earliest);
      return 0;
    }
    long purged = 0;
    int q = trees.partitionCount();
    try (KvIterator it = store.scan(KeyHashes.partitionStart(partition, q),
        KeyHashes.partitionEnd(partition, q))) {
      while (it.hasNext()) {
        KvIterator.Entry e = it.next();
        SiblingSet state = ReplicaStore.decode(e.value());
        long deletedAt = ReplicaStore.deletedAt(state);
        if (deletedAt == 0) {
          continue;
        }
        if (policy.purgeable(partition, deletedAt, now)) {
          if (store.removeIf(KeyLayout.userKey(e.key()), e.value())) {
            purged++;
          }
        } else {
          trees.noteTombstone(partition, deletedAt);
        }
      }
    } catch (RuntimeException ex) {
      trees.noteTombstone(partition, earliest); // try again later
      throw ex;
    }
    return purged;
  }
}
