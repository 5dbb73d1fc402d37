package io.kvstore.lsm.wal;

import io.kvstore.lsm.LsmException;
import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Appends CRC-framed records to one commit log segment (format: FORMAT.md in this package).
 *
 * <p>Thread safety: {@link #append} must be serialized by the caller (one appending thread at a
 * time). {@link #sync}, {@link #size} and {@link #syncedSize} may be called from any thread
 * concurrently with an append, e.g. by a periodic syncer. {@link #close} must come after the last
 * append returned (the appending owner closes) but may race {@link #sync}: the two are serialized
 * by an internal lock, and a sync after close is a no-op.
 *
 * <p>Invariants: the file always holds a segment header followed by whole records, except for the
 * record an append is writing right now. {@code syncedSize <= size}. The first sync also syncs the
 * parent directory, so a segment whose records were synced cannot vanish in a crash. Any I/O
 * failure is sticky: the file's tail is unknown after a failed write, and after a failed fsync
 * the kernel may have dropped dirty pages, so every later append/sync/close rethrows it (wrapped)
 * rather than appending after garbage or reporting a sync that did not happen.
 */
public final class LogWriter implements AutoCloseable {
  /** Payloads up to this size are copied next to their header and written with one append. */
  private static final int COALESCE_LIMIT = 64 << 10;

  private final Env env;
  private final Path path;
  private final WritableFile file;
  private final long segmentNumber;
  private final SyncStats syncStats;
  private final Object syncLock = new Object();
  private byte[] scratch = new byte[LogFormat.RECORD_HEADER_SIZE + 256]; // appender thread only
  private volatile long size;
  private volatile long syncedSize; // written under syncLock
  private volatile LsmException failure;
  private volatile boolean closed; // written under syncLock
  private boolean directorySynced; // guarded by syncLock

  private LogWriter(Env env, Path path, WritableFile file, long segmentNumber, SyncStats stats) {
    this.env = env;
    this.path = path;
    this.file = file;
    this.segmentNumber = segmentNumber;
    this.syncStats = stats;
  }

  /**
   * Creates (truncating any existing file) a segment at {@code path} and writes its header. The
   * header is not synced until the first {@link #sync}.
   *
   * @throws StorageIOException if the file cannot be created or the header written
   */
  public static LogWriter create(Env env, Path path, long segmentNumber) {
    return create(env, path, segmentNumber, new SyncStats());
  }

  /** As {@link #create(Env, Path, long)}, counting this segment's fsyncs in {@code stats}. */
  public static LogWriter create(Env env, Path path, long segmentNumber, SyncStats stats) {
    WritableFile file;
    try {
      file = env.newWritableFile(path);
    } catch (IOException e) {
      throw new StorageIOException("creating log segment " + path, e);
    }
    LogWriter writer = new LogWriter(env, path, file, segmentNumber, stats);
    try {
      file.append(LogFormat.encodeSegmentHeader(segmentNumber));
    } catch (IOException e) {
      closeQuietly(file, e);
      throw new StorageIOException("writing header of log segment " + path, e);
    }
    writer.size = LogFormat.SEGMENT_HEADER_SIZE;
    return writer;
  }

  /**
   * Appends one record. The bytes reach the OS before this returns but are durable only after a
   * later {@link #sync}.
   *
   * @return the file offset just past the new record (the log's new {@link #size})
   * @throws IllegalArgumentException if the payload is larger than {@link
   *     LogFormat#MAX_PAYLOAD_SIZE}
   * @throws StorageIOException if the write fails (now or in an earlier call)
   * @throws StoreClosedException if the writer was closed
   */
  public long append(byte[] payload) {
    if (payload.length > LogFormat.MAX_PAYLOAD_SIZE) {
      throw new IllegalArgumentException(
          "log record payload of "
              + payload.length
              + " bytes exceeds the maximum of "
              + LogFormat.MAX_PAYLOAD_SIZE);
    }
    checkUsable();
    int total = LogFormat.RECORD_HEADER_SIZE + payload.length;
    try {
      if (payload.length <= COALESCE_LIMIT) {
        if (scratch.length < total) {
          scratch = new byte[Math.max(total, 2 * scratch.length)];
        }
        LogFormat.encodeRecordHeader(payload, scratch, 0);
        System.arraycopy(payload, 0, scratch, LogFormat.RECORD_HEADER_SIZE, payload.length);
        file.append(scratch, 0, total);
      } else {
        byte[] header = new byte[LogFormat.RECORD_HEADER_SIZE];
        LogFormat.encodeRecordHeader(payload, header, 0);
        file.append(header);
        file.append(payload);
      }
    } catch (IOException e) {
      throw fail("appending to log segment " + path, e);
    }
    size += total;
    return size;
  }

  /**
   * Makes every record whose append returned before this call durable (fsync; on the first call
   * also the parent directory). Safe to call concurrently with {@link #append}; a no-op if nothing
   * was appended since the last sync or if the writer is closed (close syncs).
   *
   * @throws StorageIOException if the fsync fails (now or in an earlier call)
   */
  public void sync() {
    synchronized (syncLock) {
      if (closed) {
        return;
      }
      syncLocked();
    }
  }

  private void syncLocked() {
    checkFailure();
    long target = size;
    if (target == syncedSize && directorySynced) {
      return;
    }
    long start = env.nanoTime();
    try {
      file.sync();
      if (!directorySynced) {
        env.syncDirectory(path.toAbsolutePath().getParent());
        directorySynced = true;
      }
    } catch (IOException e) {
      throw fail("syncing log segment " + path, e);
    } finally {
      syncStats.record(env.nanoTime() - start);
    }
    syncedSize = target;
  }

  /** Bytes written so far, segment header included: the offset where the next record goes. */
  public long size() {
    return size;
  }

  /** Bytes known durable: {@link #size} as of the start of the last successful sync. */
  public long syncedSize() {
    return syncedSize;
  }

  public long segmentNumber() {
    return segmentNumber;
  }

  public Path path() {
    return path;
  }

  /**
   * Syncs and closes the file. Idempotent. If the writer had failed, the file is closed and the
   * failure rethrown.
   */
  @Override
  public void close() {
    synchronized (syncLock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        syncLocked();
      } catch (LsmException e) {
        closeQuietly(file, e);
        throw e;
      }
      try {
        file.close();
      } catch (IOException e) {
        throw fail("closing log segment " + path, e);
      }
    }
  }

  private void checkUsable() {
    if (closed) {
      throw new StoreClosedException("log segment " + path + " is closed");
    }
    checkFailure();
  }

  private void checkFailure() {
    LsmException f = failure;
    if (f != null) {
      throw new StorageIOException("log segment " + path + " failed earlier", f);
    }
  }

  private LsmException fail(String what, IOException e) {
    StorageIOException err = new StorageIOException(what, e);
    synchronized (syncLock) {
      if (failure == null) {
        failure = err;
      }
    }
    return err;
  }

  private static void closeQuietly(WritableFile file, Throwable primary) {
    try {
      file.close();
    } catch (IOException e) {
      primary.addSuppressed(e);
    }
  }
}
