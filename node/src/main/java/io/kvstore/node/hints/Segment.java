package io.kvstore.node.hints;

import java.nio.file.Path;

/**
 * What a {@link TargetLog} knows of one of its segment files: its size, how much of it is durable,
 * and its good records (count, frame bytes, creation-time range), plus their per-record
 * {@link RecordIndex} while the log needs one.
 *
 * <p>Not thread safe: fields are guarded by the owning TargetLog's monitor. Invariants: {@code
 * synced <= bytes}; a segment that is not the log's active one never changes size again.
 */
final class Segment {
  final long number;
  final Path path;
  /** Good records and the bytes of their frames. */
  long records;
  long recordBytes;
  /** Bytes in the file (header, records, and whatever a crash left at the end). */
  long bytes;
  /** Bytes known durable; a reader of the active segment stops here. */
  long synced;
  long minCreated = Long.MAX_VALUE;
  long maxCreated = Long.MIN_VALUE;
  /** Per-record detail, or null when the log does not need it. */
  RecordIndex index;

  Segment(long number, Path path) {
    this.number = number;
    this.path = path;
  }

  void add(long offset, int frameBytes, long created) {
    records++;
    recordBytes += frameBytes;
    minCreated = Math.min(minCreated, created);
    maxCreated = Math.max(maxCreated, created);
    if (index != null) {
      index.add(offset, frameBytes, created);
    }
  }

  /** Every good record, up to {@code limit} if the index can tell, else all of them. */
  RecordIndex.Tally tally(long from, long limit) {
    if (index != null) {
      return index.tally(from, limit);
    }
    return new RecordIndex.Tally(records, recordBytes, minCreated);
  }

  /**
   * Forgets what lies past {@code limit}: records written but never made durable, after a failed
   * write. Needs the index (the active segment always has one).
   */
  void truncate(long limit) {
    index.truncate(limit);
    RecordIndex.Tally t = index.tally(0, Long.MAX_VALUE);
    records = t.hints();
    recordBytes = t.bytes();
    minCreated = t.oldestCreatedMillis();
    maxCreated = index.newestCreated();
    bytes = limit;
    synced = limit;
  }
}
