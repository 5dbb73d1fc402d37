package io.kvstore.node.store;

import com.google.common.util.concurrent.Striped;
import io.kvstore.lsm.KvIterator;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.lsm.WriteBatch;
import io.kvstore.node.NodeError;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.DotCounter;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.function.LongSupplier;

/**
 * This node's replica of the keys it holds: each key's sibling set, encoded, as the value in the
 * LSM store under the key's ring-hash prefix ({@link KeyLayout}). Every change is a
 * read-modify-write under a per-key striped lock, so two local writers of one key (a coordinated
 * put and an incoming replication, say) both land: merges never lose an update. Each change is
 * reported to {@link StoreChanges} (the anti-entropy trees) with the old and new encodings, under
 * the lock it names. Writes are durable per the store's sync policy when a method returns.
 *
 * <p>Thread safe.
 */
public final class ReplicaStore implements AutoCloseable {
  private final LsmStore store;
  private final StoreChanges changes;
  private final DotCounter dots;
  private final LongSupplier wallMillis;
  private final Striped<Lock> locks = Striped.lock(1024);

  /**
   * @param wallMillis the wall clock that stamps tombstones (ms since 1970)
   */
  public ReplicaStore(LsmStore store, StoreChanges changes, DotCounter dots,
      LongSupplier wallMillis) {
    this.store = store;
    this.changes = changes;
    this.dots = dots;
    this.wallMillis = wallMillis;
  }

  /** A store nothing observes, with tombstones stamped 0 (tests of the store alone). */
  public ReplicaStore(LsmStore store) {
    this(store, StoreChanges.NONE, new DotCounter(), () -> 0);
  }

  /** The local sibling set of {@code key}, if any. */
  public Optional<SiblingSet> read(byte[] key) {
    byte[] raw = store.get(KeyLayout.storageKey(KeyLayout.hash(key), key));
    return raw == null ? Optional.empty() : Optional.of(decode(raw));
  }

  /** Merges {@code incoming} into the local state (DVV sync), durably, and returns the result. */
  public SiblingSet merge(byte[] key, SiblingSet incoming) {
    SiblingSet merged = mergeUnsynced(key, incoming);
    store.syncCommitLog();
    return merged;
  }

  /**
   * As {@link #merge}, without waiting for the fsync: durable after the next {@link #sync}. The
   * fsync then runs outside the key's lock and is shared by every write made before it.
   */
  public SiblingSet mergeUnsynced(byte[] key, SiblingSet incoming) {
    return locked(key, (hash, skey, raw) -> {
      SiblingSet current = raw == null ? SiblingSet.EMPTY : decode(raw);
      SiblingSet merged = SiblingSet.sync(current, incoming);
      if (!merged.equals(current)) {
        write(hash, key, skey, raw, merged.encode(), deletedAt(merged));
      }
      return merged;
    });
  }

  /**
   * Coordinates a write locally: applies {@code value} with the client's context as a new dot of
   * {@code actor} (VERSIONING.md "Coordinated write", the counter from this incarnation's {@link
   * DotCounter}) and stores it, without waiting for the fsync: the caller replicates meanwhile and
   * counts the local acknowledgement after {@link #sync()}. A tombstone is stamped with the wall
   * clock here, its delete time.
   *
   * @throws NodeError FAILED_PRECONDITION if the key would exceed {@code maxSiblings}; nothing is
   *     written then
   */
  public SiblingSet coordinate(
      byte[] key, Value value, VersionVector context, Actor actor, int maxSiblings) {
    Value stamped = value.tombstone() ? Value.tombstone(wallMillis.getAsLong()) : value;
    return locked(key, (hash, skey, raw) -> {
      SiblingSet current = raw == null ? SiblingSet.EMPTY : decode(raw);
      long floor = current.context().merge(context).get(actor);
      SiblingSet next = current.put(stamped, context, actor, dots.next(floor));
      if (next.siblings().size() > maxSiblings) {
        throw NodeError.failedPrecondition(
            "key has " + current.siblings().size() + " siblings; this write would make "
                + next.siblings().size() + " (limit " + maxSiblings
                + "): read the key, resolve the siblings and write with the returned context");
      }
      write(hash, key, skey, raw, next.encode(), deletedAt(next));
      return next;
    });
  }

  /**
   * Removes {@code key} if its stored encoding is still {@code expected} (tombstone purge: the
   * caller decided on that state). Returns whether it removed it.
   */
  public boolean removeIf(byte[] key, byte[] expected) {
    return locked(key, (hash, skey, raw) -> {
      if (raw == null || !Arrays.equals(raw, expected)) {
        return false;
      }
      write(hash, key, skey, raw, null, 0);
      store.syncCommitLog();
      return true;
    });
  }

  /**
   * The stored entries with engine keys in [{@code from}, {@code to}) (null: open), as of this
   * call; entry keys are engine keys ({@link KeyLayout#userKey} strips the prefix). Must be closed.
   */
  public KvIterator scan(byte[] from, byte[] to) {
    return store.scan(from, to);
  }

  /** Makes every write that returned before this call durable (per the store's sync policy). */
  public void sync() {
    store.syncCommitLog();
  }

  /**
   * Whether {@link #sync} fsyncs (the group policy) and so may block; under the other policies it
   * returns at once and a caller may run it inline.
   */
  public boolean syncBlocks() {
    return store.options().syncPolicy().mode() == SyncPolicy.Mode.GROUP;
  }

  public LsmStore engine() {
    return store;
  }

  @Override
  public void close() {
    store.close();
  }

  /** Decodes a stored sibling set; unreadable is a bug or corruption, never "absent". */
  public static SiblingSet decode(byte[] raw) {
    try {
      return SiblingSet.decode(raw);
    } catch (MalformedVersionException e) {
      throw NodeError.internal("stored sibling set of a key is unreadable: " + e.getMessage());
    }
  }

  /**
   * Stores {@code after} (null: delete) and reports the change, under the changes' lock; the
   * fsync is left to the caller, after that lock is released (a tree rebuild waits for it).
   */
  private void write(long hash, byte[] key, byte[] skey, byte[] before, byte[] after,
      long deletedAt) {
    Lock treeLock = changes.lock(hash);
    treeLock.lock();
    try {
      WriteBatch batch = after == null ? new WriteBatch().delete(skey) : new WriteBatch().put(skey, after);
      store.write(batch, true);
      changes.changed(hash, key, before, after, deletedAt);
    } finally {
      treeLock.unlock();
    }
  }

  /**
   * The latest delete time of a state whose siblings are all tombstones (at least 1, so that 0
   * keeps meaning "not deleted"), else 0.
   */
  public static long deletedAt(SiblingSet s) {
    if (!s.isDeleted()) {
      return 0;
    }
    long t = 1;
    for (var sibling : s.siblings()) {
      t = Math.max(t, sibling.value().deletedAtMillis());
    }
    return t;
  }

  /** A read-modify-write of one key: its ring hash, engine key and stored bytes (null: none). */
  private interface KeyChange<T> {
    T apply(long hash, byte[] storageKey, byte[] stored);
  }

  /** Runs {@code change} under the key's lock, with the key's current stored bytes. */
  private <T> T locked(byte[] key, KeyChange<T> change) {
    long hash = KeyLayout.hash(key);
    byte[] skey = KeyLayout.storageKey(hash, key);
    Lock lock = locks.get(new KeyRef(key));
    lock.lock();
    try {
      return change.apply(hash, skey, store.get(skey));
    } finally {
      lock.unlock();
    }
  }

  /** Key identity for lock striping (arrays hash by identity otherwise). */
  private record KeyRef(byte[] key) {
    @Override
    public boolean equals(Object o) {
      return o instanceof KeyRef k && Arrays.equals(key, k.key);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key);
    }
  }
}
