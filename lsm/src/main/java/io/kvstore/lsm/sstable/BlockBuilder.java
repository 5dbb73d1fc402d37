package io.kvstore.lsm.sstable;

import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import java.util.Arrays;

/**
 * Accumulates sorted entries into one block (FORMAT.md, "Blocks"): prefix-compressed entries, a
 * restart point every {@code restartInterval} entries, the restart array and its count, then the
 * 5-byte trailer. Not thread safe; reused across blocks via {@link #reset}.
 *
 * <p>Invariant: the caller adds keys in strictly increasing order (checked by {@link
 * TableBuilder}); a restart entry always has shared == 0.
 */
final class BlockBuilder {
  private static final int SHRINK_ABOVE = 1 << 20;

  private final int restartInterval;
  private byte[] buf = new byte[256];
  private int size;
  private int[] restarts = new int[16];
  private int numRestarts;
  private int sinceRestart;
  private byte[] lastKey = new byte[64];
  private int lastKeyLen;
  private int entries;

  BlockBuilder(int restartInterval) {
    this.restartInterval = restartInterval;
  }

  /** Upper bound of the bytes one entry adds (including a possible new restart point). */
  static long maxEntrySize(int keyLen, int valueLen) {
    return 3L * Varint.MAX_LEN_32 + keyLen + valueLen + 4;
  }

  boolean isEmpty() {
    return entries == 0;
  }

  /** Size of the block contents if finished now (trailer excluded). */
  int currentSize() {
    return size + 4 * numRestarts + 4;
  }

  byte[] lastKey() {
    return Arrays.copyOf(lastKey, lastKeyLen);
  }

  void add(byte[] key, byte[] value) {
    int shared = 0;
    if (sinceRestart < restartInterval && entries > 0) {
      shared = Arrays.mismatch(lastKey, 0, lastKeyLen, key, 0, key.length);
      if (shared < 0) {
        shared = key.length; // identical: caller's ordering check prevents this
      }
    } else {
      addRestart(size);
      sinceRestart = 0;
    }
    int unshared = key.length - shared;
    ensure(size + 3 * Varint.MAX_LEN_32 + unshared + value.length);
    size = Varint.put(buf, size, shared);
    size = Varint.put(buf, size, unshared);
    size = Varint.put(buf, size, value.length);
    System.arraycopy(key, shared, buf, size, unshared);
    size += unshared;
    System.arraycopy(value, 0, buf, size, value.length);
    size += value.length;
    if (lastKey.length < key.length) {
      lastKey = Arrays.copyOf(lastKey, Math.max(key.length, lastKey.length * 2));
    }
    System.arraycopy(key, shared, lastKey, shared, unshared);
    lastKeyLen = key.length;
    sinceRestart++;
    entries++;
  }

  /**
   * Appends the restart array, count and trailer; returns the total length of {@link #buffer()}
   * to write. The block handle size is {@code result - BLOCK_TRAILER_SIZE}.
   */
  int finish() {
    ensure(size + 4 * numRestarts + 4 + TableFormat.BLOCK_TRAILER_SIZE);
    for (int i = 0; i < numRestarts; i++) {
      Bytes.putInt(buf, size, restarts[i]);
      size += 4;
    }
    Bytes.putInt(buf, size, numRestarts);
    size += 4;
    buf[size] = TableFormat.BLOCK_TYPE_UNCOMPRESSED;
    int crc = Crc32c.masked(buf, 0, size + 1);
    Bytes.putInt(buf, size + 1, crc);
    size += TableFormat.BLOCK_TRAILER_SIZE;
    return size;
  }

  byte[] buffer() {
    return buf;
  }

  void reset() {
    if (buf.length > SHRINK_ABOVE) {
      buf = new byte[256]; // one huge value should not pin megabytes for the builder's life
    }
    size = 0;
    numRestarts = 0;
    sinceRestart = 0;
    lastKeyLen = 0;
    entries = 0;
  }

  private void addRestart(int offset) {
    if (numRestarts == restarts.length) {
      restarts = Arrays.copyOf(restarts, numRestarts * 2);
    }
    restarts[numRestarts++] = offset;
  }

  private void ensure(long needed) {
    if (needed > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("block would exceed 2 GiB");
    }
    if (needed > buf.length) {
      long grown = Math.max(needed, buf.length * 2L);
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, grown));
    }
  }
}
