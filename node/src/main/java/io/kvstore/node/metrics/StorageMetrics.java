package io.kvstore.node.metrics;

import io.kvstore.lsm.StoreStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/**
 * The storage engine's {@link StoreStats} as Prometheus series, named kv_storage_*: gauges of the
 * engine's shape (memtables, tables and bytes per level, pending compaction bytes, a sticky
 * error) and counters of what it did (user, flush and compaction bytes for write amplification,
 * write stalls, block cache hits and misses of lookups, commit-log fsyncs and their time,
 * background errors). Every series reads one snapshot that the caller refreshes before each
 * scrape, so a scrape computes the stats once. Registration only: thread safe as the registry.
 */
final class StorageMetrics {
  private final MeterRegistry registry;
  private final AtomicReference<StoreStats> last;

  private StorageMetrics(MeterRegistry registry, AtomicReference<StoreStats> last) {
    this.registry = registry;
    this.last = last;
  }

  /** Registers every series on {@code registry}, reading the snapshot in {@code last}. */
  static void register(MeterRegistry registry, AtomicReference<StoreStats> last) {
    StorageMetrics m = new StorageMetrics(registry, last);
    m.shape();
    m.writes();
    m.reads();
  }

  private void shape() {
    gauge("kv_storage_memtable_bytes", "memory of the active memtable and of the immutable ones"
        + " waiting for flush", StoreStats::memtableBytes);
    gauge("kv_storage_immutable_memtables", "memtables waiting for flush (writes stall at the"
        + " configured maximum)", StoreStats::immutableMemtables);
    for (int level = 0; level < last.get().tablesPerLevel().size(); level++) {
      int l = level;
      Gauge.builder("kv_storage_level_files", last, r -> r.get().tablesPerLevel().get(l))
          .description("SSTables in the level (writes stall when level 0 holds too many)")
          .tag("level", Integer.toString(l)).register(registry);
      Gauge.builder("kv_storage_level_bytes", last, r -> r.get().bytesPerLevel().get(l))
          .description("bytes of the SSTables in the level").tag("level", Integer.toString(l))
          .register(registry);
    }
    gauge("kv_storage_pending_compaction_bytes", "estimate of the bytes compaction must still"
        + " rewrite to bring every level within its budget (as RocksDB's"
        + " estimate-pending-compaction-bytes)", StoreStats::pendingCompactionBytes);
    gauge("kv_storage_failed", "1 once a background error is sticky: the store refuses writes"
        + " until the node restarts", s -> s.failed() ? 1 : 0);
    counter("kv_storage_background_errors", "failures of a flush, a compaction or the commit"
        + " log (the first makes the store refuse writes)", StoreStats::backgroundErrors);
  }

  private void writes() {
    counter("kv_storage_user_written_bytes", "bytes of keys and values written to the store (the"
        + " denominator of write amplification)", StoreStats::userBytes);
    counter("kv_storage_flush_written_bytes", "bytes of SSTables written by memtable flushes",
        StoreStats::flushBytes);
    counter("kv_storage_compaction_written_bytes", "bytes of SSTables written by compactions",
        StoreStats::compactionBytesWritten);
    counter("kv_storage_compaction_read_bytes", "bytes of SSTables read by compactions",
        StoreStats::compactionBytesRead);
    counter("kv_storage_flushes", "memtables flushed to level-0 SSTables", StoreStats::flushes);
    counter("kv_storage_compactions", "compactions that rewrote SSTables (moves not included)",
        StoreStats::compactions);
    counter("kv_storage_write_stalls", "writes that waited because flushes or level-0"
        + " compactions were behind", StoreStats::writeStalls);
    counter("kv_storage_write_stall_seconds", "time writes spent stalled",
        s -> s.writeStallNanos() / 1e9);
    FunctionTimer.builder("kv_storage_commitlog_sync", last, r -> r.get().logSyncs(),
            r -> r.get().logSyncNanos(), TimeUnit.NANOSECONDS)
        .description("commit-log fsyncs (count) and the time they took (sum)")
        .register(registry);
  }

  private void reads() {
    counter("kv_storage_block_cache_hits", "data blocks point lookups found in the block cache",
        StoreStats::blockCacheHits);
    counter("kv_storage_block_cache_misses", "data blocks point lookups read from disk, not"
        + " being in the block cache", StoreStats::blockCacheMisses);
  }

  private void gauge(String name, String help, ToDoubleFunction<StoreStats> value) {
    Gauge.builder(name, last, r -> value.applyAsDouble(r.get())).description(help)
        .register(registry);
  }

  private void counter(String name, String help, ToDoubleFunction<StoreStats> value) {
    FunctionCounter.builder(name, last, r -> value.applyAsDouble(r.get())).description(help)
        .register(registry);
  }
}
