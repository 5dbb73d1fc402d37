package io.kvstore.lsm.sstable;

import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.InternalIterator;
import java.util.NoSuchElementException;

/**
 * Two-level iterator over a table: a position in the in-memory {@link BlockIndex} plus a {@link
 * BlockCursor} in the current data block, which is fetched lazily through the reader (and so the
 * block cache). Not thread safe. {@link #key()} and {@link #value()} return fresh copies, made at
 * most once per position.
 *
 * <p>Invariant: when valid, the cursor is valid and points into block {@code blockIndex}.
 */
final class TableIterator implements InternalIterator {
  private final TableReader reader;
  private final BlockIndex index;
  private int blockIndex;
  private BlockCursor cursor;
  private byte[] key;
  private byte[] value;

  TableIterator(TableReader reader, BlockIndex index) {
    this.reader = reader;
    this.index = index;
    this.blockIndex = index.size();
  }

  @Override
  public boolean valid() {
    return blockIndex < index.size() && cursor.valid();
  }

  @Override
  public void seekToFirst() {
    clearCopies();
    loadBlock(0);
    if (blockIndex < index.size()) {
      cursor.seekToFirst();
      skipExhaustedBlocks();
    }
  }

  @Override
  public void seek(byte[] internalKey) {
    clearCopies();
    int userLen = internalKey.length - 8;
    if (userLen < 0) {
      throw new IllegalArgumentException("internal key shorter than 8 bytes");
    }
    long trailer = Bytes.getLong(internalKey, userLen);
    loadBlock(index.find(internalKey, 0, userLen, trailer));
    if (blockIndex < index.size()) {
      cursor.seek(internalKey, 0, userLen, trailer);
      skipExhaustedBlocks();
    }
  }

  @Override
  public void next() {
    if (!valid()) {
      throw new NoSuchElementException("iterator is not positioned");
    }
    clearCopies();
    cursor.next();
    skipExhaustedBlocks();
  }

  @Override
  public byte[] key() {
    checkValid();
    if (key == null) {
      key = cursor.copyKey();
    }
    return key;
  }

  @Override
  public byte[] value() {
    checkValid();
    if (value == null) {
      value = cursor.copyValue();
    }
    return value;
  }

  @Override
  public void close() {
    blockIndex = index.size();
    cursor = null;
    clearCopies();
  }

  private void skipExhaustedBlocks() {
    while (!cursor.valid()) {
      loadBlock(blockIndex + 1);
      if (blockIndex >= index.size()) {
        return;
      }
      cursor.seekToFirst();
    }
  }

  private void loadBlock(int i) {
    blockIndex = index.size(); // stays invalid if the read fails
    if (i >= index.size()) {
      return;
    }
    Block b = reader.dataBlock(i, false);
    if (cursor == null) {
      cursor = new BlockCursor(b);
    } else {
      cursor.reset(b);
    }
    blockIndex = i;
  }

  private void checkValid() {
    if (!valid()) {
      throw new NoSuchElementException("iterator is not positioned");
    }
  }

  private void clearCopies() {
    key = null;
    value = null;
  }
}
