package io.kvstore.lsm.internal;

import io.kvstore.lsm.sstable.TableReader;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One live SSTable: its metadata (immutable) plus an open reader and a reference count. Each
 * {@link SuperVersion} that lists the table holds one reference; when the last reference goes and
 * the table has been replaced by a compaction ({@link #markObsolete()}), the reader is closed and
 * the file deleted. So a reader or scan that pinned an old SuperVersion can keep using the table
 * while compaction goes on.
 *
 * <p>Thread safe.
 */
public final class TableHandle {
  private final long fileNumber;
  private final long fileSize;
  private final long entryCount;
  private final byte[] smallest;
  private final byte[] largest;
  private final TableReader reader;
  private final Path path;
  private final Consumer<TableHandle> onRelease;
  private final AtomicInteger refs = new AtomicInteger();
  private volatile boolean obsolete;

  public TableHandle(
      long fileNumber,
      long fileSize,
      long entryCount,
      byte[] smallest,
      byte[] largest,
      TableReader reader,
      Path path,
      Consumer<TableHandle> onRelease) {
    this.fileNumber = fileNumber;
    this.fileSize = fileSize;
    this.entryCount = entryCount;
    this.smallest = smallest;
    this.largest = largest;
    this.reader = reader;
    this.path = path;
    this.onRelease = onRelease;
  }

  public long fileNumber() {
    return fileNumber;
  }

  public long fileSize() {
    return fileSize;
  }

  public long entryCount() {
    return entryCount;
  }

  /** Smallest internal key in the table. */
  public byte[] smallest() {
    return smallest;
  }

  /** Largest internal key in the table. */
  public byte[] largest() {
    return largest;
  }

  public TableReader reader() {
    return reader;
  }

  public Path path() {
    return path;
  }

  /** True if {@code userKey} lies within the table's user-key range. */
  public boolean covers(byte[] userKey) {
    return InternalKey.compareUserKey(smallest, userKey) <= 0
        && InternalKey.compareUserKey(largest, userKey) >= 0;
  }

  /** True if the table's user-key range intersects [lo, hi] (user keys; null = unbounded). */
  public boolean overlaps(byte[] lo, byte[] hi) {
    return (hi == null || InternalKey.compareUserKey(smallest, hi) <= 0)
        && (lo == null || InternalKey.compareUserKey(largest, lo) >= 0);
  }

  public void ref() {
    refs.incrementAndGet();
  }

  public void unref() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      release();
    } else if (n < 0) {
      throw new IllegalStateException("table " + fileNumber + " released too often");
    }
  }

  /** Marks the table as replaced; its file is deleted when the last reference goes. */
  public void markObsolete() {
    obsolete = true;
  }

  public boolean isObsolete() {
    return obsolete;
  }

  private void release() {
    try {
      reader.close();
    } finally {
      onRelease.accept(this);
    }
  }

  @Override
  public String toString() {
    return "table#" + fileNumber + "(" + fileSize + "B, " + entryCount + " entries)";
  }
}
