package io.kvstore.lsm;

import io.kvstore.lsm.internal.FileNames;
import io.kvstore.lsm.sstable.TableOptions;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A persistent, ordered key-value store: a log-structured merge tree with a commit log, a
 * memtable, SSTables with bloom filters, and leveled background compaction. Keys and values are
 * byte arrays; keys compare as unsigned bytes.
 *
 * <p>Thread safety: every method may be called from any number of threads. Writes are
 * serialized through a queue whose head (the leader) appends the whole waiting group to the log as
 * one record and, under the {@code group} sync policy, makes it durable with one fsync (group
 * commit). Reads take no lock: they pin a {@link SuperVersion} (memtables + table set) and read it
 * at the last published sequence number, so they never wait for a flush or a compaction.
 *
 * <p>Errors: a failure in the background (flush, compaction) or of the commit log is sticky: later
 * writes, flushes and compactions throw it; reads keep working on what is in memory and on disk.
 * After {@link #close()} every call throws {@link StoreClosedException}.
 */
public final class LsmStore implements AutoCloseable {
  private final Path dir;
  private final Options options;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final StoreCore core;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LsmStore(Path dir, Options options, FileChannel lockChannel, FileLock lock, StoreCore c) {
    this.dir = dir;
    this.options = options;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.core = c;
  }

  /**
   * Opens (creating if needed) the store in {@code dir}, replaying its commit log.
   *
   * @throws CorruptionException if a file is damaged anywhere but the torn tail of the log
   * @throws StorageIOException on I/O errors, or if another process has the store open
   */
  public static LsmStore open(Path dir, Options options) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(options, "options");
    FileChannel lockChannel = null;
    try {
      options.env.createDirectories(FileNames.logDir(dir));
      options.env.createDirectories(FileNames.tableDir(dir));
      lockChannel =
          FileChannel.open(
              FileNames.lock(dir), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = tryLock(lockChannel, dir);
      TableOptions tableOptions =
          new TableOptions(options.blockSize, options.bloomBitsPerKey, 16);
      StoreCore core = StoreCore.open(dir, options, tableOptions);
      return new LsmStore(dir, options, lockChannel, lock, core);
    } catch (IOException e) {
      closeQuietly(lockChannel);
      throw new StorageIOException("cannot open store in " + dir, e);
    } catch (RuntimeException e) {
      closeQuietly(lockChannel);
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel ch, Path dir) throws IOException {
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      throw new StorageIOException(
          "store " + dir + " is already open", new IOException("LOCK is held"));
    }
    return lock;
  }

  public Path directory() {
    return dir;
  }

  public Options options() {
    return options;
  }

  public void put(byte[] key, byte[] value) {
    write(new WriteBatch().put(key, value));
  }

  public void delete(byte[] key) {
    write(new WriteBatch().delete(key));
  }

  /**
   * Applies a batch atomically. When this returns, the batch is visible to reads and, under the
   * {@code group} sync policy, durable.
   */
  public void write(WriteBatch batch) {
    write(batch, false);
  }

  /**
   * Applies a batch atomically; with {@code deferSync} under the {@code group} policy it returns
   * once the batch is in the commit log (visible, surviving a process crash) but before the fsync,
   * so the caller can overlap other work with it and then call {@link #syncCommitLog()}.
   */
  public void write(WriteBatch batch, boolean deferSync) {
    Objects.requireNonNull(batch, "batch");
    if (!batch.isEmpty()) {
      core.write(batch, false, !deferSync);
    }
  }

  /**
   * Under the {@code group} policy, makes every write that returned before this call durable (one
   * fsync shared by concurrent callers); under {@code periodic} and {@code none}, does nothing.
   */
  public void syncCommitLog() {
    core.syncCommitLog();
  }

  /** The value of {@code key}, or null if it is absent or deleted. */
  public byte[] get(byte[] key) {
    Objects.requireNonNull(key, "key");
    return core.get(key);
  }

  /**
   * Scans live keys in [{@code fromInclusive}, {@code toExclusive}) in ascending order; null bounds
   * are open. The iterator sees the store as of this call and must be closed.
   */
  public KvIterator scan(byte[] fromInclusive, byte[] toExclusive) {
    return core.scan(fromInclusive, toExclusive);
  }

  /** Writes the memtable to an SSTable and waits until it (and older ones) are flushed. */
  public void flush() {
    core.flush();
  }

  /** Flushes, then compacts every table into the deepest level; waits for it. */
  public void compact() {
    core.flush();
    core.compactAll();
  }

  /** The counters and shape of the store now; cheap (the store mutex is held briefly). */
  public StoreStats stats() {
    return core.stats();
  }

  /**
   * Stops background work (a running compaction is abandoned; queued flushes finish), waits for
   * in-flight writes, syncs and closes the commit log, and releases the directory lock. Idempotent.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    try {
      core.close();
    } finally {
      releaseLock();
    }
  }

  private void releaseLock() {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } catch (IOException e) {
      throw new StorageIOException("releasing lock of " + dir, e);
    } finally {
      closeQuietly(lockChannel);
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        // Closing the lock file's channel cannot lose data.
      }
    }
  }

  @Override
  public String toString() {
    return "LsmStore(" + dir + ")";
  }
}
