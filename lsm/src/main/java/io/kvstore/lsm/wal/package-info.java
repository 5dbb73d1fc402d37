/**
 * The commit log (write-ahead log) of the storage engine: a sequence of numbered segment files,
 * each a header followed by CRC-framed records. The byte format and the recovery rules (torn tail
 * truncated, corruption in the middle reported) are specified in FORMAT.md beside these sources.
 *
 * <ul>
 *   <li>{@link io.kvstore.lsm.wal.LogWriter} appends records to one segment and syncs it.
 *   <li>{@link io.kvstore.lsm.wal.LogReader} reads one segment back during recovery.
 *   <li>{@link io.kvstore.lsm.wal.LogRecord} a record read back, with its file offset.
 *   <li>{@link io.kvstore.lsm.wal.LogFormat} the format constants.
 *   <li>{@link io.kvstore.lsm.wal.SyncStats} counts a store's commit-log fsyncs and their time.
 * </ul>
 *
 * <p>Rotation between segments, replay into the memtable and the sync policy live above this
 * package.
 */
package io.kvstore.lsm.wal;
