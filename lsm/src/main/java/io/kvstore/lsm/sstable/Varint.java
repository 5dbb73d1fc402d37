package io.kvstore.lsm.sstable;

/**
 * LevelDB-style unsigned varints: 7 bits per byte, least significant group first, high bit set on
 * every byte but the last. Static and stateless.
 *
 * <p>Decoding returns a packed {@code long}: {@code (value << 8) | bytesConsumed}, or {@code -1}
 * when the encoding runs past {@code limit}, is longer than allowed, or exceeds the value range.
 * Packing avoids an allocation per decoded number on the lookup path.
 */
final class Varint {
  /** Longest encoding of a 32-bit value. */
  static final int MAX_LEN_32 = 5;
  /** Longest encoding of a 56-bit value (file offsets). */
  static final int MAX_LEN_56 = 8;

  private Varint() {}

  /** Number of bytes {@link #put} writes for {@code v} (treated as unsigned). */
  static int length(long v) {
    int n = 1;
    while ((v & ~0x7fL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** Writes {@code v} (unsigned) at {@code pos}; returns the position after it. */
  static int put(byte[] buf, int pos, long v) {
    while ((v & ~0x7fL) != 0) {
      buf[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
    return pos;
  }

  /** Decodes an unsigned 32-bit varint; see the class comment for the packed result. */
  static long decode32(byte[] b, int pos, int limit) {
    long packed = decode(b, pos, limit, MAX_LEN_32);
    return (packed >>> 8) > 0xffffffffL ? -1 : packed;
  }

  /** Decodes an unsigned varint of at most 56 bits; see the class comment. */
  static long decode56(byte[] b, int pos, int limit) {
    return decode(b, pos, limit, MAX_LEN_56);
  }

  private static long decode(byte[] b, int pos, int limit, int maxLen) {
    long value = 0;
    int end = Math.min(limit, pos + maxLen);
    for (int p = pos, shift = 0; p < end; p++, shift += 7) {
      int x = b[p];
      value |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return (value << 8) | (p + 1 - pos);
      }
    }
    return -1;
  }
}
