package io.kvstore.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

/**
 * {@link Engine} over RocksDB (rocksdbjni), opened with the RocksDB equivalents of {@link
 * EngineSettings} (README, "Settings"). Thread safe as {@link Engine} requires: RocksDB's DB,
 * WriteOptions and ReadOptions may be shared by threads. Owns every native object it creates and
 * frees them in {@link #close()}.
 */
public final class RocksDbEngine implements Engine {
  static {
    RocksDB.loadLibrary();
  }

  private final LRUCache cache;
  private final BloomFilter filter;
  private final Statistics statistics;
  private final Options options;
  private final WriteOptions writeOptions;
  private final ReadOptions readOptions;
  private final RocksDB db;

  public RocksDbEngine(Path dir, EngineSettings s) {
    cache = new LRUCache(s.blockCacheBytes());
    filter = new BloomFilter(s.bloomBitsPerKey(), false);
    statistics = s.statistics() ? new Statistics() : null;
    options = options(s, cache, filter, statistics);
    writeOptions = new WriteOptions().setSync(s.sync() == EngineSettings.Sync.GROUP)
        .setDisableWAL(false);
    readOptions = new ReadOptions();
    try {
      db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      freeNative();
      throw new IllegalStateException("cannot open RocksDB in " + dir, e);
    }
  }

  private static Options options(
      EngineSettings s, LRUCache cache, BloomFilter filter, Statistics statistics) {
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockSize(s.blockSize())
        .setFilterPolicy(filter)
        .setBlockCache(cache)
        .setCacheIndexAndFilterBlocks(false); // index and filter stay in memory, as in ours
    Options o = new Options()
        .setCreateIfMissing(true)
        .setTableFormatConfig(table)
        .setCompressionType(CompressionType.NO_COMPRESSION)
        .setBottommostCompressionType(CompressionType.NO_COMPRESSION)
        .setWriteBufferSize(s.memtableBytes())
        .setMaxWriteBufferNumber(1 + s.maxImmutableMemtables())
        .setLevelCompactionDynamicLevelBytes(false)
        .setMaxBytesForLevelBase(s.level1MaxBytes())
        .setMaxBytesForLevelMultiplier(s.levelMultiplier())
        .setTargetFileSizeBase(s.targetFileBytes())
        .setLevel0FileNumCompactionTrigger(s.l0CompactionTrigger())
        .setLevel0SlowdownWritesTrigger(s.l0StopWritesTrigger())
        .setLevel0StopWritesTrigger(s.l0StopWritesTrigger())
        .setMaxBackgroundJobs(2) // RocksDB makes that one flush and one compaction thread
        .setMaxSubcompactions(1)
        .setMaxOpenFiles(-1);
    if (statistics != null) {
      o.setStatistics(statistics);
    }
    return o;
  }

  @Override
  public String name() {
    return "rocksdb";
  }

  @Override
  public void put(byte[] key, byte[] value) {
    try {
      db.put(writeOptions, key, value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB put failed", e);
    }
  }

  @Override
  public byte[] get(byte[] key) {
    try {
      return db.get(readOptions, key);
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB get failed", e);
    }
  }

  @Override
  public int scan(byte[] from, int limit, EntryVisitor visitor) {
    int n = 0;
    try (RocksIterator it = db.newIterator(readOptions)) {
      for (it.seek(from); n < limit && it.isValid(); it.next()) {
        visitor.visit(it.key(), it.value());
        n++;
      }
    }
    return n;
  }

  @Override
  public void settle() {
    try {
      flush();
      db.compactRange();
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB compaction failed", e);
    }
  }

  @Override
  public void awaitBackgroundWork() throws InterruptedException {
    try {
      flush();
      while (db.getLongProperty("rocksdb.compaction-pending") != 0
          || db.getLongProperty("rocksdb.num-running-compactions") != 0
          || db.getLongProperty("rocksdb.num-running-flushes") != 0) {
        Thread.sleep(100);
      }
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB property read failed", e);
    }
  }

  private void flush() throws RocksDBException {
    try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
      db.flush(f);
    }
  }

  @Override
  public EngineCounters counters() {
    if (statistics == null) {
      return EngineCounters.UNAVAILABLE;
    }
    long hits = statistics.getTickerCount(TickerType.BLOCK_CACHE_DATA_HIT);
    long misses = statistics.getTickerCount(TickerType.BLOCK_CACHE_DATA_MISS);
    return new EngineCounters(
        statistics.getTickerCount(TickerType.NUMBER_KEYS_READ),
        hits + misses,
        misses,
        statistics.getTickerCount(TickerType.BYTES_WRITTEN),
        statistics.getTickerCount(TickerType.FLUSH_WRITE_BYTES)
            + statistics.getTickerCount(TickerType.COMPACT_WRITE_BYTES));
  }

  @Override
  public String shape() {
    List<String> files = new ArrayList<>();
    try {
      for (int level = 0; level < 7; level++) {
        files.add(db.getProperty("rocksdb.num-files-at-level" + level));
      }
      return "tables per level " + files;
    } catch (RocksDBException e) {
      return "tables per level unknown: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    try {
      db.closeE();
    } catch (RocksDBException e) {
      throw new IllegalStateException("RocksDB close failed", e);
    } finally {
      freeNative();
    }
  }

  private void freeNative() {
    readOptions.close();
    writeOptions.close();
    options.close();
    if (statistics != null) {
      statistics.close();
    }
    filter.close();
    cache.close();
  }
}
