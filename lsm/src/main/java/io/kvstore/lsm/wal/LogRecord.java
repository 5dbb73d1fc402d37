package io.kvstore.lsm.wal;

/**
 * One record read back from a log segment: where it starts in the file and its payload.
 * Immutable by convention (the payload array is handed over, not copied; do not modify it).
 * Equality is by array identity, as for any record with an array component.
 *
 * @param offset file offset of the record's first header byte
 * @param payload the bytes passed to {@link LogWriter#append}
 */
public record LogRecord(long offset, byte[] payload) {
  /** File offset just past this record: where the next record starts. */
  public long endOffset() {
    return offset + LogFormat.RECORD_HEADER_SIZE + payload.length;
  }
}
