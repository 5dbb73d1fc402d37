package io.kvstore.lsm.sstable;

import io.kvstore.lsm.internal.Bytes;
import java.util.Arrays;

/**
 * Compares an internal key held in a slice of some buffer with a seek target given as a user key
 * and a trailer, without materializing either as its own array. Same order as {@link
 * io.kvstore.lsm.internal.InternalKey#COMPARATOR}: user key ascending (unsigned), then trailer
 * descending. Static and stateless.
 */
final class KeyCompare {
  private KeyCompare() {}

  /**
   * Returns negative, zero or positive as the internal key {@code k[off, off+len)} sorts before,
   * equal to, or after the target {@code (uk[ukOff, ukOff+ukLen), trailer)}. {@code len >= 8}.
   */
  static int compare(byte[] k, int off, int len, byte[] uk, int ukOff, int ukLen, long trailer) {
    int userEnd = off + len - 8;
    int c = Arrays.compareUnsigned(k, off, userEnd, uk, ukOff, ukOff + ukLen);
    if (c != 0) {
      return c;
    }
    return Long.compareUnsigned(trailer, Bytes.getLong(k, userEnd));
  }

  /** The trailer {@code (seq << 8) | type} of a lookup at {@code seq}: sees every type at seq. */
  static long lookupTrailer(long seq) {
    return (seq << 8) | 0xff;
  }
}
