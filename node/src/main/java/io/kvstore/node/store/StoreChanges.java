package io.kvstore.node.store;

import java.util.concurrent.locks.Lock;

/**
 * What the replica store tells the anti-entropy trees about each change of a key, and the lock
 * that makes a change atomic with respect to a tree rebuild's snapshot: the store holds {@link
 * #lock}'s lock across its engine write and {@link #changed}, so every change is either inside a
 * rebuild's snapshot or reported after it, never both.
 *
 * <p>Implementations are thread safe; {@link #changed} must be quick (it runs under key locks).
 */
public interface StoreChanges {
  /** Nothing observes the store (tests of the store alone). */
  StoreChanges NONE = new StoreChanges() {
    private final Lock none = new NoLock();

    @Override
    public Lock lock(long hash) {
      return none;
    }

    @Override
    public void changed(long hash, byte[] key, byte[] before, byte[] after, long deletedAt) {}
  };

  /** The lock to hold while changing a key of ring hash {@code hash}. */
  Lock lock(long hash);

  /**
   * {@code key} (ring hash {@code hash}) changed from {@code before} to {@code after}, the stored
   * encodings; null means absent. {@code deletedAt} is the latest delete time of {@code after}
   * when all its siblings are tombstones (a purge candidate), else 0.
   */
  void changed(long hash, byte[] key, byte[] before, byte[] after, long deletedAt);
}
