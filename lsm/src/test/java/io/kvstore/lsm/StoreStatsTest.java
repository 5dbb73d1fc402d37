package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.FaultInjectingEnv;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each counter of {@link StoreStats} that an operator watches moves when the engine does the
 * thing it counts, and stays put when it does not: memtable bytes (immutable memtables
 * included), level shape and pending compaction bytes, flush and compaction bytes, block cache
 * hits and misses, commit-log fsyncs and their time, background errors.
 */
class StoreStatsTest {
  @TempDir Path dir;

  @Test
  void memtableBytesIncludeImmutableMemtablesWaitingForFlush() {
    TableGateEnv env = new TableGateEnv();
    long limit = 32 << 10;
    Options options = TestStores.tiny().env(env).memtableBytes(limit).l0CompactionTrigger(4)
        .build();
    try (LsmStore store = LsmStore.open(dir, options)) {
      assertEquals(0, store.stats().memtableBytes());
      store.put(bytes("k"), new byte[100]);
      long one = store.stats().memtableBytes();
      assertTrue(one >= 100, "a write is accounted: " + one);
      env.shut();
      int i = 0;
      while (store.stats().immutableMemtables() == 0) {
        store.put(bytes("key" + i++), new byte[100]);
      }
      StoreStats held = store.stats();
      assertTrue(held.memtableBytes() >= limit + one,
          "the full immutable memtable and the active one: " + held.memtableBytes());
      env.open();
      store.flush();
      StoreStats flushed = store.stats();
      assertEquals(0, flushed.memtableBytes());
      assertEquals(0, flushed.immutableMemtables());
      assertEquals(2, flushed.tablesPerLevel().get(0), "two flushes, two level-0 tables");
      assertEquals(2, flushed.flushes());
      assertEquals(flushed.flushBytes(), (long) flushed.bytesPerLevel().get(0));
      assertEquals(0, flushed.pendingCompactionBytes(), "below the level-0 trigger");
    }
  }

  @Test
  void pendingCompactionBytesCoverLevelZeroUntilItIsCompacted() throws Exception {
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().l0CompactionTrigger(4).build())) {
      for (int t = 0; t < 3; t++) {
        for (int i = 0; i < 20; i++) {
          store.put(bytes("t" + t + "k" + i), new byte[50]);
        }
        store.flush();
      }
      assertEquals(0, store.stats().pendingCompactionBytes(), "3 tables, trigger 4");
    }
    TableGateEnv env = new TableGateEnv();
    env.shut(); // the compaction the reopened store starts at once holds before installing
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().env(env).build())) {
      StoreStats due = store.stats();
      assertEquals(3, due.tablesPerLevel().get(0));
      assertEquals(due.bytesPerLevel().get(0) + due.bytesPerLevel().get(1),
          due.pendingCompactionBytes(), "level 0 at trigger 2: all of it and level 1");
      assertEquals(0, due.compactions());
      env.open();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (store.stats().compactions() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      StoreStats done = store.stats();
      assertEquals(1, done.compactions());
      assertEquals(0, done.tablesPerLevel().get(0));
      assertEquals(0, done.pendingCompactionBytes(), "level 1 is within its budget");
      assertEquals(done.compactionBytesWritten(), (long) done.bytesPerLevel().get(1));
      assertEquals(due.bytesPerLevel().get(0), done.compactionBytesRead());
    }
  }

  @Test
  void blockCacheHitsAndMissesCountLookupsOnly() {
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().build())) {
      store.put(bytes("k"), bytes("v"));
      store.flush();
      store.get(bytes("k"));
      assertEquals(1, store.stats().blockCacheMisses(), "the first lookup reads the block");
      assertEquals(0, store.stats().blockCacheHits());
      store.get(bytes("k"));
      assertEquals(1, store.stats().blockCacheMisses());
      assertEquals(1, store.stats().blockCacheHits(), "the second finds it cached");
      try (KvIterator it = store.scan(null, null)) {
        it.forEachRemaining(e -> { });
      }
      assertEquals(2, store.stats().dataBlockReads(), "scans are not counted");
    }
  }

  @Test
  void everyCommitLogFsyncIsCountedWithTheTimeItTook() {
    SlowLogSyncEnv env = new SlowLogSyncEnv(3_000_000);
    Options group = TestStores.tiny().env(env).syncPolicy(SyncPolicy.group()).build();
    try (LsmStore store = LsmStore.open(dir, group)) {
      StoreStats opened = store.stats();
      assertEquals(1, opened.logSyncs(), "recovery syncs the new segment");
      for (int i = 0; i < 5; i++) {
        store.put(bytes("k" + i), bytes("v"));
      }
      StoreStats after = store.stats();
      assertEquals(6, after.logSyncs(), "one fsync per acknowledged write under group");
      assertEquals(6 * 3_000_000L, after.logSyncNanos());
      store.syncCommitLog();
      assertEquals(6, store.stats().logSyncs(), "nothing new to sync: no fsync");
    }
  }

  @Test
  void withoutPerWriteSyncWritesIssueNoFsync() {
    SlowLogSyncEnv env = new SlowLogSyncEnv(1);
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().env(env).build())) {
      long before = store.stats().logSyncs();
      for (int i = 0; i < 5; i++) {
        store.put(bytes("k" + i), bytes("v"));
      }
      assertEquals(before, store.stats().logSyncs());
    }
  }

  @Test
  void aFailedFlushIsABackgroundErrorAndMakesTheStoreFailed() {
    FaultInjectingEnv env = new FaultInjectingEnv();
    LsmStore store = LsmStore.open(dir, TestStores.tiny().env(env).build());
    store.put(bytes("a"), bytes("1"));
    store.flush();
    assertEquals(0, store.stats().backgroundErrors());
    assertFalse(store.stats().failed());
    store.put(bytes("b"), bytes("2"));
    env.failRenames(true); // the manifest install of the next flush fails
    assertThrows(LsmException.class, store::flush);
    assertEquals(1, store.stats().backgroundErrors());
    assertTrue(store.stats().failed());
    env.resetFaults();
    closeQuietly(store);
  }

  @Test
  void aFailedCommitLogFsyncIsABackgroundError() {
    FaultInjectingEnv env = new FaultInjectingEnv();
    LsmStore store =
        LsmStore.open(dir, TestStores.tiny().env(env).syncPolicy(SyncPolicy.group()).build());
    store.put(bytes("a"), bytes("1"));
    env.failSyncs(true);
    assertThrows(LsmException.class, () -> store.put(bytes("b"), bytes("2")));
    assertThrows(LsmException.class, () -> store.put(bytes("c"), bytes("3")));
    assertEquals(1, store.stats().backgroundErrors(), "a refused write is no new error");
    assertTrue(store.stats().failed());
    env.resetFaults();
    closeQuietly(store);
  }

  private static void closeQuietly(LsmStore store) {
    try {
      store.close();
    } catch (LsmException sticky) {
      // close() may report the sticky failure again
    }
  }

  /** The real file system on a simulated clock that only advances while a log fsync runs. */
  private static final class SlowLogSyncEnv extends SyncHookEnv {
    private final AtomicLong now = new AtomicLong();
    private final long syncNanos;

    SlowLogSyncEnv(long syncNanos) {
      this.syncNanos = syncNanos;
    }

    @Override
    public long nanoTime() {
      return now.get();
    }

    @Override
    protected void beforeSync(Path path) {
      if (path.toString().endsWith(".log")) {
        now.addAndGet(syncNanos);
      }
    }
  }
}
