package io.kvstore.bench;

import java.util.SplittableRandom;

/**
 * Deterministic benchmark data: the i-th key of a key space is 16 bytes derived from (space seed,
 * i) by a 64-bit mixing function, so keys are uniformly random yet reproducible, and every run and
 * engine sees the same keys without storing them. Different seeds give disjoint key sets (with
 * overwhelming probability: 128-bit random keys). Values are copies of arrays from a fixed pool of
 * random 100-byte arrays: a fresh copy per write, because our engine keeps the caller's array in
 * its memtable (RocksDB copies it), and sharing a few arrays would understate its memory and GC
 * cost. Immutable and thread safe.
 */
public final class KeySpace {
  public static final int KEY_BYTES = 16;
  public static final int VALUE_BYTES = 100;
  /** Keys preloaded for reads. */
  public static final KeySpace PRESENT = new KeySpace(0x5EED_0001L);
  /** Keys that are never written: lookups of them miss. */
  public static final KeySpace MISSING = new KeySpace(0x5EED_0002L);

  private static final int VALUE_POOL = 1024;
  private static final byte[][] VALUES = valuePool(0x5EED_0003L);

  private final long seed;

  public KeySpace(long seed) {
    this.seed = seed;
  }

  /** A key space for writer thread {@code thread} of a write benchmark, disjoint from others. */
  public static KeySpace forWriter(int thread) {
    return new KeySpace(0x5EED_1000L + thread);
  }

  /** The i-th key (a fresh array). */
  public byte[] key(long i) {
    long a = mix(seed * 0x9E3779B97F4A7C15L + i);
    long b = mix(a ^ seed);
    byte[] k = new byte[KEY_BYTES];
    putLong(k, 0, a);
    putLong(k, 8, b);
    return k;
  }

  /** The value stored with the i-th key (a fresh array). */
  public static byte[] value(long i) {
    return VALUES[(int) Math.floorMod(i, (long) VALUE_POOL)].clone();
  }

  /** A 16-byte key whose first 8 bytes are {@code prefix} (big-endian), for scan start points. */
  public static byte[] keyWithPrefix(long prefix, long rest) {
    byte[] k = new byte[KEY_BYTES];
    putLong(k, 0, prefix);
    putLong(k, 8, rest);
    return k;
  }

  private static byte[][] valuePool(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[][] pool = new byte[VALUE_POOL][VALUE_BYTES];
    for (byte[] v : pool) {
      r.nextBytes(v);
    }
    return pool;
  }

  /** Stafford's mix13 (the SplittableRandom finalizer): a bijection on 64-bit values. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
