package io.kvstore.node.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.KvIterator;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.DotCounter;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.Partitioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replica store's layout 2: keys stored behind their ring hash (so the engine is in ring
 * order), tombstones stamped with their delete time, every change reported with its old and new
 * encodings, and dots never reused by one actor even after a key's history was removed.
 */
class ReplicaStoreLayoutTest {
  private static final Actor A = new Actor("n1", 7);
  @TempDir Path dir;

  @Test
  void engineKeysAreTheRingHashThenTheKeyAndScanInRingOrder() {
    List<Change> changes = new ArrayList<>();
    try (ReplicaStore store = open(changes, () -> 42)) {
      for (int i = 0; i < 200; i++) {
        store.coordinate(bytes("k" + i), Value.of(bytes("v" + i)), VersionVector.EMPTY, A, 10);
      }
      long last = Long.MIN_VALUE;
      int n = 0;
      try (KvIterator it = store.scan(null, null)) {
        while (it.hasNext()) {
          KvIterator.Entry e = it.next();
          byte[] key = KeyLayout.userKey(e.key());
          assertEquals(Partitioner.hashOf(key), KeyLayout.hashOf(e.key()));
          assertTrue(Long.compareUnsigned(last, KeyLayout.hashOf(e.key())) <= 0 || n == 0,
              "engine order is ring order");
          last = KeyLayout.hashOf(e.key());
          n++;
        }
      }
      assertEquals(200, n);
      assertEquals(200, changes.size());
      assertNull(changes.getFirst().before(), "a new key had no encoding before");
    }
  }

  @Test
  void aDeleteIsStampedWithTheWallClockAndEveryChangeIsReportedOnce() {
    List<Change> changes = new ArrayList<>();
    try (ReplicaStore store = open(changes, () -> 1_800_000_000_000L)) {
      byte[] key = bytes("gone");
      SiblingSet live = store.coordinate(key, Value.of(bytes("x")), VersionVector.EMPTY, A, 10);
      SiblingSet dead = store.coordinate(key, Value.TOMBSTONE, live.context(), A, 10);
      assertTrue(dead.isDeleted());
      assertEquals(1_800_000_000_000L, dead.siblings().getFirst().value().deletedAtMillis());
      store.merge(key, dead); // no change: not reported
      assertEquals(2, changes.size());
      assertArrayEquals(changes.get(0).after(), changes.get(1).before());
      assertArrayEquals(dead.encode(), changes.get(1).after());

      assertFalse(store.removeIf(key, live.encode()), "removes only the state it was asked to");
      assertTrue(store.removeIf(key, dead.encode()));
      assertTrue(store.read(key).isEmpty());
      assertNull(changes.get(2).after());
    }
  }

  /** After a purge a key restarts from an empty clock; its next dot must still be new. */
  @Test
  void aPurgedKeyRewrittenByTheSameActorGetsANewDot() {
    try (ReplicaStore store = open(new ArrayList<>(), () -> 1)) {
      byte[] key = bytes("again");
      SiblingSet first = store.coordinate(key, Value.of(bytes("old")), VersionVector.EMPTY, A, 10);
      SiblingSet dead = store.coordinate(key, Value.TOMBSTONE, first.context(), A, 10);
      assertTrue(store.removeIf(key, dead.encode()));
      SiblingSet again = store.coordinate(key, Value.of(bytes("new")), VersionVector.EMPTY, A, 10);
      assertNotEquals(first.siblings().getFirst().dot(), again.siblings().getFirst().dot());
      // A client still holding the context of "old" cannot supersede "new", which it never saw.
      SiblingSet stale = store.coordinate(key, Value.of(bytes("stale")), first.context(), A, 10);
      assertEquals(2, stale.liveValues().size(), "new survives a write with the old context");
    }
  }

  private ReplicaStore open(List<Change> changes, java.util.function.LongSupplier clock) {
    StoreChanges observer = new StoreChanges() {
      @Override
      public Lock lock(long hash) {
        return StoreChanges.NONE.lock(hash);
      }

      @Override
      public synchronized void changed(long hash, byte[] key, byte[] before, byte[] after,
          long deletedAt) {
        assertEquals(Partitioner.hashOf(key), hash);
        changes.add(new Change(before, after));
      }
    };
    return new ReplicaStore(LsmStore.open(dir, Options.defaults()), observer, new DotCounter(),
        clock);
  }

  private record Change(byte[] before, byte[] after) {}

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
