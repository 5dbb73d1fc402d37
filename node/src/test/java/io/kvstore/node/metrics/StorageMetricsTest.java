package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.lsm.StoreStats;
import io.kvstore.node.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine's StoreStats are exported as kv_storage_* series, taken afresh at each scrape. */
class StorageMetricsTest {
  @Test
  void storeStatsAreExportedWithUnitsAndLevelsAndFollowEachScrape() {
    NodeMetrics metrics = new NodeMetrics("n1", Clock.system());
    AtomicReference<StoreStats> now = new AtomicReference<>(stats(1, false));
    metrics.bindStorage(now::get);
    String text = metrics.scrape();
    assertEquals(List.of(), Scrape.missingLines(text, List.of(
        "kv_storage_memtable_bytes{node=\"n1\"} 13.0",
        "kv_storage_immutable_memtables{node=\"n1\"} 1.0",
        "kv_storage_level_files{level=\"0\",node=\"n1\"} 3.0",
        "kv_storage_level_files{level=\"6\",node=\"n1\"} 0.0",
        "kv_storage_level_bytes{level=\"1\",node=\"n1\"} 20.0",
        "kv_storage_pending_compaction_bytes{node=\"n1\"} 14.0",
        "kv_storage_failed{node=\"n1\"} 0.0",
        "kv_storage_background_errors_total{node=\"n1\"} 16.0",
        "kv_storage_user_written_bytes_total{node=\"n1\"} 100.0",
        "kv_storage_flush_written_bytes_total{node=\"n1\"} 300.0",
        "kv_storage_compaction_written_bytes_total{node=\"n1\"} 700.0",
        "kv_storage_compaction_read_bytes_total{node=\"n1\"} 600.0",
        "kv_storage_flushes_total{node=\"n1\"} 2.0",
        "kv_storage_compactions_total{node=\"n1\"} 4.0",
        "kv_storage_write_stalls_total{node=\"n1\"} 8.0",
        "kv_storage_write_stall_seconds_total{node=\"n1\"} 9.0",
        "kv_storage_block_cache_hits_total{node=\"n1\"} 8.0",
        "kv_storage_block_cache_misses_total{node=\"n1\"} 3.0",
        "kv_storage_commitlog_sync_seconds_count{node=\"n1\"} 15",
        "kv_storage_commitlog_sync_seconds_sum{node=\"n1\"} 1.5")), text);
    now.set(stats(2, true));
    text = metrics.scrape();
    assertEquals(List.of(), Scrape.missingLines(text, List.of(
        "kv_storage_memtable_bytes{node=\"n1\"} 26.0",
        "kv_storage_failed{node=\"n1\"} 1.0",
        "kv_storage_write_stall_seconds_total{node=\"n1\"} 18.0",
        "kv_storage_commitlog_sync_seconds_count{node=\"n1\"} 30",
        "kv_storage_commitlog_sync_seconds_sum{node=\"n1\"} 3.0")), text);
  }

  /** Stats whose every counter is a distinct multiple of {@code k}. */
  private static StoreStats stats(long k, boolean failed) {
    return new StoreStats(100 * k, 2 * k, 300 * k, 4 * k, 5 * k, 600 * k, 700 * k, 8 * k,
        9_000_000_000L * k, 10 * k, 11 * k, 3 * k, 12 * k, 6 * k,
        List.of(3, 2, 0, 0, 0, 0, 0), List.of(10L, 20L, 0L, 0L, 0L, 0L, 0L), 13 * k, 1, 14 * k,
        15 * k, 1_500_000_000L * k, 16 * k, failed);
  }
}
