package io.kvstore.bench;

import io.kvstore.lsm.KvIterator;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.lsm.StoreStats;
import io.kvstore.lsm.SyncPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link Engine} over our {@link LsmStore}, opened with {@link EngineSettings}. Thread safe as
 * {@link Engine} requires (LsmStore is fully thread safe).
 */
public final class OurEngine implements Engine {
  private static final int LEVELS = 7;

  private final LsmStore store;
  private final EngineSettings settings;

  public OurEngine(Path dir, EngineSettings s) {
    this.settings = s;
    this.store = LsmStore.open(dir, options(s));
  }

  static Options options(EngineSettings s) {
    return Options.builder()
        .syncPolicy(s.sync() == EngineSettings.Sync.GROUP ? SyncPolicy.group() : SyncPolicy.none())
        .memtableBytes(s.memtableBytes())
        .maxImmutableMemtables(s.maxImmutableMemtables())
        .blockSize(s.blockSize())
        .bloomBitsPerKey(s.bloomBitsPerKey())
        .blockCacheBytes(s.blockCacheBytes())
        .targetFileBytes(s.targetFileBytes())
        .level1MaxBytes(s.level1MaxBytes())
        .levelMultiplier(s.levelMultiplier())
        .l0CompactionTrigger(s.l0CompactionTrigger())
        .l0StopWritesTrigger(s.l0StopWritesTrigger())
        .build();
  }

  @Override
  public String name() {
    return "ours";
  }

  @Override
  public void put(byte[] key, byte[] value) {
    store.put(key, value);
  }

  @Override
  public byte[] get(byte[] key) {
    return store.get(key);
  }

  @Override
  public int scan(byte[] from, int limit, EntryVisitor visitor) {
    int n = 0;
    try (KvIterator it = store.scan(from, null)) {
      while (n < limit && it.hasNext()) {
        KvIterator.Entry e = it.next();
        visitor.visit(e.key(), e.value());
        n++;
      }
    }
    return n;
  }

  @Override
  public void settle() {
    store.compact();
  }

  @Override
  public void awaitBackgroundWork() throws InterruptedException {
    store.flush();
    // The compaction picker has nothing to do once level 0 is below its trigger and every level
    // is within its budget; poll the stats for that state.
    while (!withinBudgets(store.stats())) {
      Thread.sleep(100);
    }
  }

  private boolean withinBudgets(StoreStats st) {
    if (st.tablesPerLevel().get(0) >= settings.l0CompactionTrigger()) {
      return false;
    }
    List<Long> bytes = st.bytesPerLevel();
    for (int level = 1; level < LEVELS - 1; level++) {
      if (bytes.get(level) > settings.levelMaxBytes(level)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public EngineCounters counters() {
    StoreStats st = store.stats();
    return new EngineCounters(
        st.pointLookups(),
        st.dataBlockReads(),
        st.blockCacheMisses(),
        st.userBytes(),
        st.flushBytes() + st.compactionBytesWritten());
  }

  /** The raw stats of the store (LargeLoad prints write amplification from them). */
  public StoreStats stats() {
    return store.stats();
  }

  @Override
  public String shape() {
    StoreStats st = store.stats();
    return "tables per level " + st.tablesPerLevel() + ", compactions " + st.compactions()
        + ", write stalls " + st.writeStalls();
  }

  @Override
  public void close() {
    store.close();
  }
}
