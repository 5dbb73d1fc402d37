package io.kvstore.lsm;

import java.util.List;

/**
 * A point-in-time view of a store's counters (totals since it was opened) and of its shape.
 * Write amplification = (flushBytes + compactionBytesWritten) / userBytes. Data blocks per lookup
 * = dataBlockReads / pointLookups; block cache hit ratio of lookups = blockCacheHits() /
 * dataBlockReads. Counters are not read atomically with each other.
 *
 * @param userBytes bytes of the batches callers wrote (keys and values)
 * @param flushes memtables flushed to level-0 tables
 * @param flushBytes bytes of the tables flushes wrote
 * @param compactions compactions that rewrote tables (trivial moves not included)
 * @param trivialMoves tables moved to the next level without being rewritten
 * @param compactionBytesRead bytes of the tables compactions read
 * @param compactionBytesWritten bytes of the tables compactions wrote
 * @param writeStalls writes that waited because too many memtables or level-0 tables were waiting
 *     for background work
 * @param writeStallNanos time those writes waited, in total
 * @param pointLookups calls of get
 * @param dataBlockReads data blocks lookups consulted, from the block cache or from disk (scans
 *     and compactions not counted)
 * @param blockCacheMisses of those, the blocks that were not in the cache and were read from disk
 * @param bloomChecks lookups that consulted a bloom filter
 * @param bloomNegatives of those, the ones the filter answered "not here"
 * @param tablesPerLevel tables in each level, level 0 first
 * @param bytesPerLevel bytes of the tables in each level, level 0 first
 * @param memtableBytes memory held by the active memtable and the immutable ones waiting for flush
 * @param immutableMemtables memtables waiting for flush
 * @param pendingCompactionBytes estimate of the bytes compaction must still rewrite to bring every
 *     level within its budget (internal.CompactionPicker#pendingCompactionBytes)
 * @param logSyncs fsyncs of the commit log (wal.SyncStats)
 * @param logSyncNanos time spent in them, in total
 * @param backgroundErrors failures of a flush, a compaction or the commit log; the first is made
 *     sticky
 * @param failed whether a background error is sticky: the store refuses writes until reopened
 */
public record StoreStats(
    long userBytes,
    long flushes,
    long flushBytes,
    long compactions,
    long trivialMoves,
    long compactionBytesRead,
    long compactionBytesWritten,
    long writeStalls,
    long writeStallNanos,
    long pointLookups,
    long dataBlockReads,
    long blockCacheMisses,
    long bloomChecks,
    long bloomNegatives,
    List<Integer> tablesPerLevel,
    List<Long> bytesPerLevel,
    long memtableBytes,
    int immutableMemtables,
    long pendingCompactionBytes,
    long logSyncs,
    long logSyncNanos,
    long backgroundErrors,
    boolean failed) {

  public double writeAmplification() {
    return userBytes == 0 ? 0 : (double) (flushBytes + compactionBytesWritten) / userBytes;
  }

  public double dataBlocksPerLookup() {
    return pointLookups == 0 ? 0 : (double) dataBlockReads / pointLookups;
  }

  /** Data blocks lookups found in the block cache. */
  public long blockCacheHits() {
    return dataBlockReads - blockCacheMisses;
  }
}
