package io.kvstore.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64 128-bit (Austin Appleby's public-domain reference, seed 0), first 64 bits:
 * the value Guava's {@code Hashing.murmur3_128().hashBytes(b).asLong()} returns, computed without
 * allocating (Guava builds a hasher, a buffer and a hash code per call, which is measurable when
 * every request hashes its key). Stateless.
 */
final class Murmur3 {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Murmur3() {}

  /** The low 64 bits (h1) of the 128-bit hash of {@code data} with seed 0. */
  static long hash64(byte[] data) {
    long h1 = 0;
    long h2 = 0;
    int len = data.length;
    int blocks = len & ~15;
    for (int i = 0; i < blocks; i += 16) {
      long k1 = (long) LONG_LE.get(data, i);
      long k2 = (long) LONG_LE.get(data, i + 8);
      h1 ^= mixK1(k1);
      h1 = Long.rotateLeft(h1, 27) + h2;
      h1 = h1 * 5 + 0x52dce729;
      h2 ^= mixK2(k2);
      h2 = Long.rotateLeft(h2, 31) + h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int tail = len - blocks;
    for (int j = tail - 1; j >= 8; j--) {
      k2 = (k2 << 8) | (data[blocks + j] & 0xffL);
    }
    for (int j = Math.min(tail, 8) - 1; j >= 0; j--) {
      k1 = (k1 << 8) | (data[blocks + j] & 0xffL);
    }
    if (tail > 8) {
      h2 ^= mixK2(k2);
    }
    if (tail > 0) {
      h1 ^= mixK1(k1);
    }
    h1 ^= len;
    h2 ^= len;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    return h1 + h2;
  }

  private static long mixK1(long k1) {
    return Long.rotateLeft(k1 * C1, 31) * C2;
  }

  private static long mixK2(long k2) {
    return Long.rotateLeft(k2 * C2, 33) * C1;
  }

  private static long fmix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
