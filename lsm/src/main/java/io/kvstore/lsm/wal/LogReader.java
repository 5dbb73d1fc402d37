package io.kvstore.lsm.wal;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads the records of one commit log segment in order, applying the recovery rules of FORMAT.md
 * ("Reading and recovery"): in the last segment a torn tail ends iteration and is reported by
 * {@link #tornTailOffset} so the caller can truncate there; anything else that is bad throws
 * {@link CorruptionException} naming the file and the offset where the bad record starts.
 *
 * <p>Not thread safe. The file size is taken once at open; the reader never reads past it.
 *
 * <p>Invariants: {@code pos} is always the start of a record (or the end of valid data); every
 * record returned passed its length check and CRC; once iteration has ended ({@code done}) or
 * failed, it stays so.
 */
public final class LogReader implements AutoCloseable {
  private final Path path;
  private final ReadableFile file;
  private final PositionalReader in;
  private final boolean lastSegment;
  private final long fileSize;
  private final byte[] header = new byte[LogFormat.RECORD_HEADER_SIZE];
  private long segmentNumber = -1;
  private long pos;
  private boolean done;
  private long tornTailOffset = -1;
  private String tornTailReason;
  private CorruptionException failure;

  private LogReader(Path path, ReadableFile file, long fileSize, boolean lastSegment) {
    this.path = path;
    this.file = file;
    this.fileSize = fileSize;
    this.lastSegment = lastSegment;
    this.in = new PositionalReader(file, fileSize);
  }

  /**
   * Opens a segment and verifies its header.
   *
   * @param lastSegment true for the newest segment, the only one that may legitimately end in a
   *     torn write
   * @throws CorruptionException at offset 0 if the header is bad (or torn, unless lastSegment)
   * @throws StorageIOException if the file cannot be opened or read
   */
  public static LogReader open(Env env, Path path, boolean lastSegment) {
    ReadableFile file;
    long size;
    try {
      file = env.newReadableFile(path);
    } catch (IOException e) {
      throw new StorageIOException("opening log segment " + path, e);
    }
    try {
      size = file.size();
      LogReader reader = new LogReader(path, file, size, lastSegment);
      reader.readSegmentHeader();
      return reader;
    } catch (IOException | RuntimeException e) {
      try {
        file.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new StorageIOException("reading log segment " + path, io);
      }
      throw (RuntimeException) e;
    }
  }

  private void readSegmentHeader() throws IOException {
    if (fileSize < LogFormat.SEGMENT_HEADER_SIZE) {
      tornOrCorrupt(0, "segment header truncated: file has " + fileSize + " bytes");
      return;
    }
    byte[] h = new byte[LogFormat.SEGMENT_HEADER_SIZE];
    in.read(0, h, 0, h.length);
    int magic = Bytes.getInt(h, 0);
    if (magic != LogFormat.MAGIC) {
      if (in.allZero(0, fileSize)) {
        tornOrCorrupt(0, "segment is all zeros");
        return;
      }
      throw corruption(
          0, String.format("bad magic 0x%08x, expected 0x%08x", magic, LogFormat.MAGIC));
    }
    if (Bytes.getInt(h, 16) != Crc32c.masked(h, 0, 16)) {
      throw corruption(0, "segment header checksum mismatch");
    }
    int version = Bytes.getInt(h, 4);
    if (version != LogFormat.VERSION) {
      throw corruption(
          0, "unsupported format version " + version + ", this reader reads " + LogFormat.VERSION);
    }
    segmentNumber = Bytes.getLong(h, 8);
    pos = LogFormat.SEGMENT_HEADER_SIZE;
  }

  /**
   * The next record, or null at the end of the segment: either the clean end of the file or, in
   * the last segment, a torn tail (then {@link #tornTailOffset} is set).
   *
   * @throws CorruptionException at the offset of a bad record
   * @throws StorageIOException if reading fails
   */
  public LogRecord next() {
    if (failure != null) {
      throw failure;
    }
    if (done) {
      return null;
    }
    try {
      return readRecord();
    } catch (CorruptionException e) {
      failure = e;
      throw e;
    } catch (IOException e) {
      throw new StorageIOException("reading log segment " + path + " at offset " + pos, e);
    }
  }

  private LogRecord readRecord() throws IOException {
    long start = pos;
    long remaining = fileSize - start;
    if (remaining == 0) {
      done = true;
      return null;
    }
    if (remaining < LogFormat.RECORD_HEADER_SIZE) {
      return tornOrCorrupt(start, "record header truncated: " + remaining + " bytes left");
    }
    in.read(start, header, 0, header.length);
    if (Bytes.getInt(header, 8) != LogFormat.lengthCheck(header, 4)) {
      if (in.allZero(start, fileSize)) {
        return tornOrCorrupt(start, "zero-filled tail of " + remaining + " bytes");
      }
      throw corruption(start, "record length check mismatch");
    }
    long length = Integer.toUnsignedLong(Bytes.getInt(header, 4));
    if (length > LogFormat.MAX_PAYLOAD_SIZE) {
      throw corruption(start, "record length " + length + " exceeds " + LogFormat.MAX_PAYLOAD_SIZE);
    }
    long end = start + LogFormat.RECORD_HEADER_SIZE + length;
    if (end > fileSize) {
      return tornOrCorrupt(start, "record payload truncated: record ends at " + end);
    }
    byte[] payload = new byte[(int) length];
    in.read(start + LogFormat.RECORD_HEADER_SIZE, payload, 0, payload.length);
    if (Bytes.getInt(header, 0) != LogFormat.recordCrc(header, 0, payload, 0, payload.length)) {
      if (in.allZero(end, fileSize)) {
        return tornOrCorrupt(start, "checksum mismatch in the final record");
      }
      throw corruption(start, "record checksum mismatch");
    }
    pos = end;
    return new LogRecord(start, payload);
  }

  /** Ends iteration at a torn tail in the last segment; in any other segment it is corruption. */
  private LogRecord tornOrCorrupt(long offset, String reason) {
    if (!lastSegment) {
      throw corruption(offset, reason + " (torn tail in a segment that is not the last)");
    }
    done = true;
    tornTailOffset = offset;
    tornTailReason = reason;
    return null;
  }

  private CorruptionException corruption(long offset, String reason) {
    return new CorruptionException(path, offset, reason);
  }

  /**
   * Where valid data ends if iteration stopped at a torn tail (truncate the file here), else -1.
   * 0 means the segment header itself was torn: the segment holds no records.
   */
  public long tornTailOffset() {
    return tornTailOffset;
  }

  /** Why the tail was judged torn (for logs), or null. */
  public String tornTailReason() {
    return tornTailReason;
  }

  /** The segment number from the header, or -1 if the header was torn. */
  public long segmentNumber() {
    return segmentNumber;
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      file.close();
    } catch (IOException e) {
      throw new StorageIOException("closing log segment " + path, e);
    }
  }
}
