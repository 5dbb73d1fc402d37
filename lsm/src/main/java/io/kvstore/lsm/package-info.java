/**
 * kvstore's storage engine: a log-structured merge tree, usable on its own as a library.
 *
 * <p>Parts: {@link io.kvstore.lsm.LsmStore} (the API), {@code StoreCore} (write queue with group
 * commit, reads, scans), {@code BackgroundWork} (flush and leveled compaction), {@code
 * EngineCounters} (the totals behind {@link io.kvstore.lsm.StoreStats}), {@code
 * internal.Recovery} (open: manifest, orphans, commit-log replay), {@code internal.Manifest} (the
 * durable table set), {@code wal} (commit-log segments), {@code sstable} (tables, bloom filters,
 * block cache), {@code env} (all file I/O, replaceable in tests, and the engine's clock).
 * Formats: FORMAT.md files beside the code.
 */
package io.kvstore.lsm;
