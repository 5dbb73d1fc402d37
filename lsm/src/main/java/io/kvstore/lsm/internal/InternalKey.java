package io.kvstore.lsm.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Internal keys: {@code userKey || trailer}, where the trailer is 8 bytes big-endian holding
 * {@code (seq << 8) | type}. Ordering: user key ascending (unsigned bytes), then trailer
 * descending, so the newest version of a key comes first. Static helpers only; no state.
 */
public final class InternalKey {
  public static final byte TYPE_DELETE = 0;
  public static final byte TYPE_PUT = 1;
  /** Largest sequence number (56 bits). */
  public static final long MAX_SEQ = (1L << 56) - 1;

  public static final Comparator<byte[]> COMPARATOR = InternalKey::compare;

  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private InternalKey() {}

  public static byte[] encode(byte[] userKey, long seq, byte type) {
    byte[] out = Arrays.copyOf(userKey, userKey.length + 8);
    LONG_BE.set(out, userKey.length, (seq << 8) | (type & 0xff));
    return out;
  }

  /** The smallest internal key for {@code userKey} visible at {@code seq}: seek target. */
  public static byte[] seekKey(byte[] userKey, long seq) {
    return encode(userKey, seq, TYPE_PUT);
  }

  public static int userKeyLength(byte[] ikey) {
    return ikey.length - 8;
  }

  public static byte[] userKey(byte[] ikey) {
    return Arrays.copyOf(ikey, ikey.length - 8);
  }

  public static long trailer(byte[] ikey) {
    return (long) LONG_BE.get(ikey, ikey.length - 8);
  }

  /** The 8 bytes at {@code b[off, off+8)} as a big-endian long. */
  public static long getLongBE(byte[] b, int off) {
    return (long) LONG_BE.get(b, off);
  }

  public static long seq(byte[] ikey) {
    return trailer(ikey) >>> 8;
  }

  public static byte type(byte[] ikey) {
    return (byte) trailer(ikey);
  }

  /** Compares the user-key parts of two internal keys as unsigned bytes. */
  public static int compareUserKeys(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, 0, a.length - 8, b, 0, b.length - 8);
  }

  /** Compares the user-key part of an internal key with a plain user key. */
  public static int compareUserKey(byte[] ikey, byte[] userKey) {
    return Arrays.compareUnsigned(ikey, 0, ikey.length - 8, userKey, 0, userKey.length);
  }

  public static int compare(byte[] a, byte[] b) {
    int c = compareUserKeys(a, b);
    if (c != 0) {
      return c;
    }
    return Long.compareUnsigned(trailer(b), trailer(a));
  }
}
