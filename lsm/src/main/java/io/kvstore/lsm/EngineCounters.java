package io.kvstore.lsm;

import io.kvstore.lsm.internal.Version;
import io.kvstore.lsm.sstable.ReadStats;
import io.kvstore.lsm.wal.SyncStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cumulative counters of one store, bumped by the write path, reads, background work and the
 * commit log, and read into a {@link StoreStats} with the store's shape by {@link #snapshot}.
 *
 * <p>Thread safe (LongAdder); counters are not read atomically with each other.
 */
final class EngineCounters {
  final LongAdder userBytes = new LongAdder();
  final LongAdder writeStalls = new LongAdder();
  final LongAdder writeStallNanos = new LongAdder();
  final LongAdder pointLookups = new LongAdder();
  final LongAdder flushes = new LongAdder();
  final LongAdder flushBytes = new LongAdder();
  final LongAdder compactions = new LongAdder();
  final LongAdder trivialMoves = new LongAdder();
  final LongAdder compactionBytesRead = new LongAdder();
  final LongAdder compactionBytesWritten = new LongAdder();
  final LongAdder backgroundErrors = new LongAdder();
  final SyncStats logSyncs = new SyncStats();

  /** The store's shape at one moment, taken under the store mutex. */
  record Shape(Version version, long memtableBytes, int immutableMemtables,
      long pendingCompactionBytes, boolean failed) {}

  StoreStats snapshot(Shape shape, ReadStats reads) {
    List<Integer> tables = new ArrayList<>();
    List<Long> bytes = new ArrayList<>();
    for (int i = 0; i < Version.LEVELS; i++) {
      tables.add(shape.version().level(i).size());
      bytes.add(shape.version().levelBytes(i));
    }
    return new StoreStats(
        userBytes.sum(),
        flushes.sum(),
        flushBytes.sum(),
        compactions.sum(),
        trivialMoves.sum(),
        compactionBytesRead.sum(),
        compactionBytesWritten.sum(),
        writeStalls.sum(),
        writeStallNanos.sum(),
        pointLookups.sum(),
        reads.dataBlockReads(),
        reads.blockCacheMisses(),
        reads.bloomChecks(),
        reads.bloomNegatives(),
        List.copyOf(tables),
        List.copyOf(bytes),
        shape.memtableBytes(),
        shape.immutableMemtables(),
        shape.pendingCompactionBytes(),
        logSyncs.syncs(),
        logSyncs.nanos(),
        backgroundErrors.sum(),
        shape.failed());
  }
}
