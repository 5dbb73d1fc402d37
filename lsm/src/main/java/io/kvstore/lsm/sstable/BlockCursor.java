package io.kvstore.lsm.sstable;

import java.util.Arrays;

/**
 * A position inside one {@link Block}: decodes prefix-compressed entries in place, keeping only the
 * current key in a reusable buffer. Seeks binary-search the restart points (whose keys are stored
 * whole and compared without copying), then scan forward. Not thread safe; one per lookup or
 * iterator, re-pointed at other blocks with {@link #reset}.
 *
 * <p>Invariant: when valid, {@code key[0, keyLen)} is the current entry's internal key and {@code
 * data[valueOffset, valueOffset + valueLength)} its value; {@code keyLen >= 8}.
 */
final class BlockCursor {
  private Block block;
  private byte[] data;
  private int limit;
  private int current;
  private int nextOffset;
  private byte[] key = new byte[64];
  private int keyLen;
  private int valueOffset;
  private int valueLength;

  BlockCursor(Block block) {
    reset(block);
  }

  void reset(Block b) {
    block = b;
    data = b.data;
    limit = b.restartsOffset;
    current = limit;
    nextOffset = limit;
    keyLen = 0;
  }

  boolean valid() {
    return current < limit;
  }

  void seekToFirst() {
    keyLen = 0;
    nextOffset = 0;
    parseNext();
  }

  void next() {
    parseNext();
  }

  /** Positions at the first entry >= the target {@code (userKey[off, off+len), trailer)}. */
  void seek(byte[] userKey, int off, int len, long trailer) {
    int n = block.numRestarts;
    if (n == 0) {
      current = limit;
      return;
    }
    // Find the last restart point whose key is < target; entries before it are all smaller.
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (compareRestartKey(mid, userKey, off, len, trailer) < 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    keyLen = 0;
    nextOffset = block.restartPoint(lo);
    while (true) {
      parseNext();
      if (!valid() || KeyCompare.compare(key, 0, keyLen, userKey, off, len, trailer) >= 0) {
        return;
      }
    }
  }

  byte[] keyBuffer() {
    return key;
  }

  int keyLength() {
    return keyLen;
  }

  byte[] data() {
    return data;
  }

  int valueOffset() {
    return valueOffset;
  }

  int valueLength() {
    return valueLength;
  }

  /** The type byte of the current key (last byte of the trailer). */
  byte type() {
    return key[keyLen - 1];
  }

  boolean userKeyEquals(byte[] userKey, int off, int len) {
    return Arrays.equals(key, 0, keyLen - 8, userKey, off, off + len);
  }

  byte[] copyKey() {
    return Arrays.copyOf(key, keyLen);
  }

  byte[] copyValue() {
    return Arrays.copyOfRange(data, valueOffset, valueOffset + valueLength);
  }

  Block block() {
    return block;
  }

  private int compareRestartKey(int i, byte[] userKey, int off, int len, long trailer) {
    int p = block.restartPoint(i);
    // Restart entries have shared == 0, so the whole key sits in the block.
    int shared;
    int unshared;
    if (data[p] == 0 && data[p + 1] >= 0 && data[p + 2] >= 0) {
      shared = 0;
      unshared = data[p + 1];
      p += 3;
    } else {
      long s = Varint.decode32(data, p, limit);
      long u = s < 0 ? -1 : Varint.decode32(data, p + (int) (s & 0xff), limit);
      long v = u < 0 ? -1 : Varint.decode32(data, p + (int) (s & 0xff) + (int) (u & 0xff), limit);
      if (v < 0) {
        throw block.corrupt(p, "malformed restart entry");
      }
      shared = (int) (s >>> 8);
      unshared = (int) (u >>> 8);
      p += (int) (s & 0xff) + (int) (u & 0xff) + (int) (v & 0xff);
    }
    if (shared != 0 || unshared < 8 || unshared > limit - p) {
      throw block.corrupt(block.restartPoint(i), "bad restart entry");
    }
    return KeyCompare.compare(data, p, unshared, userKey, off, len, trailer);
  }

  private void parseNext() {
    int p = nextOffset;
    current = p;
    if (p >= limit) {
      current = limit;
      return;
    }
    int shared;
    int unshared;
    int vlen;
    if (p + 3 <= limit && (data[p] | data[p + 1] | data[p + 2]) >= 0) {
      shared = data[p]; // fast path: all three lengths < 128
      unshared = data[p + 1];
      vlen = data[p + 2];
      p += 3;
    } else {
      long s = Varint.decode32(data, p, limit);
      long u = s < 0 ? -1 : Varint.decode32(data, p + (int) (s & 0xff), limit);
      long v = u < 0 ? -1 : Varint.decode32(data, p + (int) (s & 0xff) + (int) (u & 0xff), limit);
      if (v < 0 || (s >>> 8) > Integer.MAX_VALUE || (u >>> 8) > Integer.MAX_VALUE
          || (v >>> 8) > Integer.MAX_VALUE) {
        throw block.corrupt(current, "malformed entry header");
      }
      shared = (int) (s >>> 8);
      unshared = (int) (u >>> 8);
      vlen = (int) (v >>> 8);
      p += (int) (s & 0xff) + (int) (u & 0xff) + (int) (v & 0xff);
    }
    if (shared > keyLen || shared + unshared < 8 || unshared > limit - p
        || vlen > limit - p - unshared) {
      throw block.corrupt(current, "bad entry (shared " + shared + ", unshared " + unshared
          + ", value " + vlen + ")");
    }
    int newLen = shared + unshared;
    if (newLen > key.length) {
      key = Arrays.copyOf(key, Math.max(newLen, key.length * 2));
    }
    System.arraycopy(data, p, key, shared, unshared);
    keyLen = newLen;
    valueOffset = p + unshared;
    valueLength = vlen;
    nextOffset = valueOffset + vlen;
  }
}
