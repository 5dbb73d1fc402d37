package io.kvstore.lsm.sstable;

import static io.kvstore.lsm.sstable.TableFormat.BLOCK_TRAILER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.HEADER_SIZE;

import io.kvstore.lsm.CorruptionException;
import java.util.Arrays;

/**
 * The decoded index block, held in memory for the table's lifetime as flat arrays: all last-keys
 * concatenated in one {@code byte[]}, plus offset/size arrays, plus the first 8 bytes of each
 * key's user key as a {@code long} (zero-padded, big-endian). Binary search compares those
 * prefixes first and reads the key bytes only on a tie, so a lookup touches a small, dense
 * {@code long[]} instead of scattered key bytes, and allocates nothing. Immutable and thread safe.
 *
 * <p>Invariants (checked by {@link #decode}): keys are those of the index block in order; data
 * blocks are contiguous, the first starts right after the file header and the last ends where
 * the filter block starts.
 */
final class BlockIndex {
  private final byte[] keys;
  /** keyStart[i] .. keyStart[i+1] is the last key of block i; length n + 1. */
  private final int[] keyStart;
  private final long[] offsets;
  private final int[] sizes;
  /** prefixes[i] is {@link #userKeyPrefix} of the last key of block i. */
  private final long[] prefixes;

  private BlockIndex(byte[] keys, int[] keyStart, long[] offsets, int[] sizes) {
    this.keys = keys;
    this.keyStart = keyStart;
    this.offsets = offsets;
    this.sizes = sizes;
    this.prefixes = new long[offsets.length];
    for (int i = 0; i < offsets.length; i++) {
      prefixes[i] = userKeyPrefix(keys, keyStart[i], keyStart[i + 1] - keyStart[i] - 8);
    }
  }

  /**
   * The first 8 bytes of {@code b[off, off+len)} as an unsigned big-endian long, zero-padded. When
   * two prefixes differ they order their keys as a full unsigned comparison would (a key ending
   * inside the 8 bytes is a prefix of the other, hence smaller); when equal, compare in full.
   */
  static long userKeyPrefix(byte[] b, int off, int len) {
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < len ? b[off + i] & 0xff : 0);
    }
    return p;
  }

  int size() {
    return offsets.length;
  }

  long offset(int i) {
    return offsets[i];
  }

  /** Contents size of block i, trailer excluded. */
  int blockSize(int i) {
    return sizes[i];
  }

  byte[] lastKey(int i) {
    return Arrays.copyOfRange(keys, keyStart[i], keyStart[i + 1]);
  }

  /**
   * The first block whose last key is >= target {@code (userKey[off, off+len), trailer)}, i.e.
   * the only block that can hold the first entry >= target; {@link #size()} if none.
   */
  int find(byte[] userKey, int off, int len, long trailer) {
    long target = userKeyPrefix(userKey, off, len);
    int lo = 0;
    int hi = offsets.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long p = prefixes[mid];
      int c;
      if (p != target) {
        c = Long.compareUnsigned(p, target);
      } else {
        int ks = keyStart[mid];
        c = KeyCompare.compare(keys, ks, keyStart[mid + 1] - ks, userKey, off, len, trailer);
      }
      if (c < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Decodes the index block; {@code dataEnd} is where the filter block starts. */
  static BlockIndex decode(Block block, long dataEnd) {
    int n = 0;
    int keyBytes = 0;
    BlockCursor c = new BlockCursor(block);
    for (c.seekToFirst(); c.valid(); c.next()) {
      n++;
      keyBytes += c.keyLength();
    }
    byte[] keys = new byte[keyBytes];
    int[] keyStart = new int[n + 1];
    long[] offsets = new long[n];
    int[] sizes = new int[n];
    long expected = HEADER_SIZE;
    int i = 0;
    for (c.seekToFirst(); c.valid(); c.next(), i++) {
      System.arraycopy(c.keyBuffer(), 0, keys, keyStart[i], c.keyLength());
      keyStart[i + 1] = keyStart[i] + c.keyLength();
      byte[] d = c.data();
      int p = c.valueOffset();
      int end = p + c.valueLength();
      long off = Varint.decode56(d, p, end);
      long size = off < 0 ? -1 : Varint.decode32(d, p + (int) (off & 0xff), end);
      if (size < 0 || (off & 0xff) + (size & 0xff) != c.valueLength()
          || (off >>> 8) != expected || (size >>> 8) > Integer.MAX_VALUE) {
        throw bad(block, "bad handle for data block " + i + " (expected offset " + expected + ")");
      }
      offsets[i] = off >>> 8;
      sizes[i] = (int) (size >>> 8);
      expected = offsets[i] + sizes[i] + BLOCK_TRAILER_SIZE;
    }
    if (expected != dataEnd) {
      throw bad(block, "data blocks end at " + expected + " but the filter block starts at "
          + dataEnd);
    }
    return new BlockIndex(keys, keyStart, offsets, sizes);
  }

  private static CorruptionException bad(Block block, String reason) {
    return new CorruptionException(block.file, block.fileOffset, "index block: " + reason);
  }
}
