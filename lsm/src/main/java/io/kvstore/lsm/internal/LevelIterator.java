package io.kvstore.lsm.internal;

import java.util.List;

/**
 * Iterates the tables of one level >= 1 as a single sorted stream: their ranges are disjoint and
 * sorted, so it opens one table iterator at a time, found by binary search on seek. Not thread
 * safe.
 */
public final class LevelIterator implements InternalIterator {
  private final List<TableHandle> tables;
  private int index = -1;
  private InternalIterator current;

  public LevelIterator(List<TableHandle> tables) {
    this.tables = tables;
  }

  @Override
  public boolean valid() {
    return current != null && current.valid();
  }

  @Override
  public void seekToFirst() {
    open(0);
    if (current != null) {
      current.seekToFirst();
    }
    skipExhausted();
  }

  @Override
  public void seek(byte[] internalKey) {
    int lo = 0;
    int hi = tables.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (InternalKey.compare(tables.get(mid).largest(), internalKey) < 0) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    open(lo);
    if (current != null) {
      current.seek(internalKey);
    }
    skipExhausted();
  }

  @Override
  public void next() {
    current.next();
    skipExhausted();
  }

  @Override
  public byte[] key() {
    return current.key();
  }

  @Override
  public byte[] value() {
    return current.value();
  }

  @Override
  public void close() {
    if (current != null) {
      current.close();
      current = null;
    }
  }

  private void skipExhausted() {
    while (current != null && !current.valid()) {
      open(index + 1);
      if (current != null) {
        current.seekToFirst();
      }
    }
  }

  private void open(int i) {
    close();
    index = i;
    if (i < tables.size()) {
      current = tables.get(i).reader().iterator();
    }
  }
}
