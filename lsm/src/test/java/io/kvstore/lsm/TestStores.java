package io.kvstore.lsm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** Shared settings and helpers for engine tests. */
final class TestStores {
  private TestStores() {}

  /** Tiny sizes so that a few thousand operations exercise flushes and several levels. */
  static Options.Builder tiny() {
    return Options.builder()
        .syncPolicy(SyncPolicy.none())
        .memtableBytes(16 << 10)
        .blockSize(256)
        .blockCacheBytes(64 << 10)
        .targetFileBytes(8 << 10)
        .level1MaxBytes(32 << 10)
        .levelMultiplier(4)
        .l0CompactionTrigger(2)
        .l0StopWritesTrigger(8);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String str(byte[] b) {
    return b == null ? "null" : new String(b, StandardCharsets.UTF_8);
  }

  static String hex(byte[] b) {
    return b == null ? "null" : HexFormat.of().formatHex(b);
  }

  /** A byte[] wrapper usable as a TreeMap key with unsigned lexicographic order. */
  record Key(byte[] b) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      return Arrays.compareUnsigned(b, o.b);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(b, k.b);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(b);
    }

    @Override
    public String toString() {
      return HexFormat.of().formatHex(b);
    }
  }
}
