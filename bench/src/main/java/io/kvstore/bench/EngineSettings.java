package io.kvstore.bench;

/**
 * The settings both engines are opened with, chosen so that they do comparable work (README,
 * "Settings"): a 32 MiB memtable with up to two more waiting for flush, 4 KiB uncompressed blocks,
 * 10-bit bloom filters, a 64 MiB block cache, 8 MiB table files, leveled compaction with a 64 MiB
 * level 1 and a growth factor of 10, compaction of level 0 at 4 tables and a write stop at 12, one
 * flush and one compaction thread, and the commit log always on. Immutable value.
 *
 * @param sync when the commit log is synced
 * @param statistics whether RocksDB collects its statistics (costs a little; ours always counts)
 */
public record EngineSettings(
    Sync sync,
    long memtableBytes,
    int maxImmutableMemtables,
    int blockSize,
    int bloomBitsPerKey,
    long blockCacheBytes,
    long targetFileBytes,
    long level1MaxBytes,
    int levelMultiplier,
    int l0CompactionTrigger,
    int l0StopWritesTrigger,
    boolean statistics) {

  /** Commit-log durability of a write when it returns. */
  public enum Sync {
    /** Appended to the log, not fsynced (ours: SyncPolicy.none; RocksDB: sync=false). */
    NONE,
    /** Fsynced; concurrent writers share one fsync (ours: SyncPolicy.group; RocksDB: sync=true). */
    GROUP
  }

  public static EngineSettings standard(Sync sync) {
    return new EngineSettings(
        sync, 32L << 20, 2, 4096, 10, 64L << 20, 8L << 20, 64L << 20, 10, 4, 12, false);
  }

  public EngineSettings withStatistics(boolean on) {
    return new EngineSettings(
        sync, memtableBytes, maxImmutableMemtables, blockSize, bloomBitsPerKey, blockCacheBytes,
        targetFileBytes, level1MaxBytes, levelMultiplier, l0CompactionTrigger,
        l0StopWritesTrigger, on);
  }

  /** Size budget of {@code level} >= 1, as both engines compute it (non-dynamic levels). */
  public long levelMaxBytes(int level) {
    long max = level1MaxBytes;
    for (int i = 1; i < level; i++) {
      max *= levelMultiplier;
    }
    return max;
  }
}
