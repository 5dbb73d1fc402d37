package io.kvstore.lsm.sstable;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Collection;

/**
 * A Bloom filter over user keys, one per table (FORMAT.md, "Filter block"). Probes use double
 * hashing of one 64-bit MurmurHash64A value (Kirsch and Mitzenmacher, "Less hashing, same
 * performance", 2006), so a lookup hashes the key once. At 10 bits per key and k = 7 probes the
 * expected false-positive rate is about 0.8%. Immutable and thread safe.
 *
 * <p>Encoded form: the bit array ({@code m / 8} bytes, bit i at {@code byte[i >> 3] >> (i & 7)})
 * followed by one byte holding k. An empty encoding means "no filter": everything may match.
 */
public final class BloomFilter {
  private static final long SEED = 0x9747b28c_5bd1e995L;
  private static final long M = 0xc6a4a7935bd1e995L;
  private static final int R = 47;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** Bit array; null when there is no filter. */
  private final byte[] bits;
  private final long numBits;
  private final int k;

  private BloomFilter(byte[] bits, int k) {
    this.bits = bits;
    this.numBits = bits == null ? 0 : 8L * bits.length;
    this.k = k;
  }

  /** Probe count for a given budget: round(bitsPerKey * ln 2), clamped to [1, 30]. */
  public static int probesFor(int bitsPerKey) {
    return (int) Math.max(1, Math.min(30, Math.round(bitsPerKey * 0.69314718056)));
  }

  /** Builds a filter from hashes computed with {@link #hash}; bitsPerKey 0 means no filter. */
  public static BloomFilter fromHashes(long[] hashes, int count, int bitsPerKey) {
    if (bitsPerKey <= 0) {
      return new BloomFilter(null, 0);
    }
    long wanted = Math.max(64, (long) count * bitsPerKey);
    int bytes = (int) Math.min((wanted + 7) / 8, (1L << 29) - 8); // m stays below 2^32
    byte[] bits = new byte[bytes];
    int k = probesFor(bitsPerKey);
    long m = 8L * bytes;
    for (int i = 0; i < count; i++) {
      long h = hashes[i];
      long delta = Long.rotateRight(h, 17);
      for (int j = 0; j < k; j++) {
        int bit = (int) (((h >>> 32) * m) >>> 32);
        bits[bit >>> 3] |= (byte) (1 << (bit & 7));
        h += delta;
      }
    }
    return new BloomFilter(bits, k);
  }

  /** Convenience for tests and tools: a filter over the given user keys. */
  public static BloomFilter of(Collection<byte[]> userKeys, int bitsPerKey) {
    long[] hashes = new long[userKeys.size()];
    int i = 0;
    for (byte[] key : userKeys) {
      hashes[i++] = hash(key, 0, key.length);
    }
    return fromHashes(hashes, i, bitsPerKey);
  }

  /**
   * Decodes the filter block contents {@code b[off, off+len)}.
   *
   * @throws IllegalArgumentException if the encoding is malformed (caller reports corruption)
   */
  static BloomFilter decode(byte[] b, int off, int len) {
    if (len == 0) {
      return new BloomFilter(null, 0);
    }
    int k = b[off + len - 1] & 0xff;
    if (len - 1 < 8 || k < 1 || k > 30) {
      throw new IllegalArgumentException("bad filter: " + (len - 1) + " bytes, k = " + k);
    }
    return new BloomFilter(Arrays.copyOfRange(b, off, off + len - 1), k);
  }

  /** The filter block contents. */
  byte[] encode() {
    if (bits == null) {
      return new byte[0];
    }
    byte[] out = Arrays.copyOf(bits, bits.length + 1);
    out[bits.length] = (byte) k;
    return out;
  }

  public boolean mayContain(byte[] userKey) {
    return bits == null || mayContainHash(hash(userKey, 0, userKey.length));
  }

  public boolean mayContainHash(long hash) {
    if (bits == null) {
      return true;
    }
    long h = hash;
    long delta = Long.rotateRight(h, 17);
    for (int j = 0; j < k; j++) {
      int bit = (int) (((h >>> 32) * numBits) >>> 32);
      if ((bits[bit >>> 3] & (1 << (bit & 7))) == 0) {
        return false;
      }
      h += delta;
    }
    return true;
  }

  /** Number of probes; 0 when there is no filter. */
  public int probes() {
    return k;
  }

  public long numBits() {
    return numBits;
  }

  /** MurmurHash64A (Austin Appleby) of {@code data[off, off+len)} with this format's seed. */
  public static long hash(byte[] data, int off, int len) {
    long h = SEED ^ (len * M);
    int end = off + (len & ~7);
    for (int i = off; i < end; i += 8) {
      long x = (long) LONG_LE.get(data, i);
      x *= M;
      x ^= x >>> R;
      x *= M;
      h ^= x;
      h *= M;
    }
    int rem = len & 7;
    if (rem != 0) {
      long x = 0;
      for (int i = rem - 1; i >= 0; i--) {
        x = (x << 8) | (data[end + i] & 0xff);
      }
      h ^= x;
      h *= M;
    }
    h ^= h >>> R;
    h *= M;
    h ^= h >>> R;
    return h;
  }
}
