package io.kvstore.node.store;

import com.google.common.util.concurrent.Striped;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.WriteBatch;
import io.kvstore.node.NodeError;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import java.util.Optional;
import java.util.concurrent.locks.Lock;

/**
 * This node's replica of the keys it holds: each key's sibling set, encoded, as the value in the
 * LSM store. Every change is a read-modify-write under a per-key striped lock, so two local
 * writers of one key (a coordinated put and an incoming replication, say) both land: merges never
 * lose an update. Writes are durable per the store's sync policy when a method returns.
 *
 * <p>Thread safe.
 */
public final class ReplicaStore implements AutoCloseable {
  private final LsmStore store;
  private final Striped<Lock> locks = Striped.lock(1024);

  public ReplicaStore(LsmStore store) {
    this.store = store;
  }

  /** The local sibling set of {@code key}, if any. */
  public Optional<SiblingSet> read(byte[] key) {
    byte[] raw = store.get(key);
    return raw == null ? Optional.empty() : Optional.of(decode(key, raw));
  }

  /** Merges {@code incoming} into the local state (DVV sync) and returns the result. */
  public SiblingSet merge(byte[] key, SiblingSet incoming) {
    Lock lock = locks.get(new KeyRef(key));
    lock.lock();
    try {
      SiblingSet current = read(key).orElse(SiblingSet.EMPTY);
      SiblingSet merged = SiblingSet.sync(current, incoming);
      if (!merged.equals(current)) {
        store.put(key, merged.encode());
      }
      return merged;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Coordinates a write locally: applies {@code value} with the client's context as a new dot of
   * {@code actor} (VERSIONING.md "Coordinated write") and stores it, without waiting for the fsync:
   * the caller replicates meanwhile and counts the local acknowledgement after {@link #sync()}.
   *
   * @throws NodeError FAILED_PRECONDITION if the key would exceed {@code maxSiblings}; nothing is
   *     written then
   */
  public SiblingSet coordinate(
      byte[] key, Value value, VersionVector context, Actor actor, int maxSiblings) {
    Lock lock = locks.get(new KeyRef(key));
    lock.lock();
    try {
      SiblingSet current = read(key).orElse(SiblingSet.EMPTY);
      SiblingSet next = current.put(value, context, actor);
      if (next.siblings().size() > maxSiblings) {
        throw NodeError.failedPrecondition(
            "key has " + current.siblings().size() + " siblings; this write would make "
                + next.siblings().size() + " (limit " + maxSiblings
                + "): read the key, resolve the siblings and write with the returned context");
      }
      store.write(new WriteBatch().put(key, next.encode()), true);
      return next;
    } finally {
      lock.unlock();
    }
  }

  /** Makes every write that returned before this call durable (per the store's sync policy). */
  public void sync() {
    store.syncCommitLog();
  }

  public LsmStore engine() {
    return store;
  }

  @Override
  public void close() {
    store.close();
  }

  private static SiblingSet decode(byte[] key, byte[] raw) {
    try {
      return SiblingSet.decode(raw);
    } catch (MalformedVersionException e) {
      throw NodeError.internal("stored sibling set of a key is unreadable: " + e.getMessage());
    }
  }

  /** Key identity for lock striping (arrays hash by identity otherwise). */
  private record KeyRef(byte[] key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof KeyRef k && java.util.Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(key);
    }
  }
}
