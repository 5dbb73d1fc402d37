package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Key hashing and the split of the 64-bit hash space into Q equal partitions. */
class PartitionerTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Golden values: the first 64 bits (little-endian) of Murmur3 x64-128, seed 0, cross-checked
   * against an independent implementation of the reference algorithm. If this fails, every key
   * in every existing cluster would move: do not "fix" the expected values.
   */
  @Test
  void knownKeysHashToGoldenPositionsAndPartitions() {
    byte[] bytes0to19 = new byte[20];
    for (int i = 0; i < 20; i++) {
      bytes0to19[i] = (byte) i;
    }
    Object[][] golden = {
      {new byte[0], 0x0L, 0, 0},
      {utf8("a"), 0x85555565f6597889L, 133, 533},
      {utf8("hello"), 0xcbd8a7b341bd9b02L, 203, 815},
      {utf8("user:42"), 0xcd01081bf0aa3a68L, 205, 820},
      {utf8("The quick brown fox jumps over the lazy dog"), 0xe34bbc7bbc071b6cL, 227, 909},
      {bytes0to19, 0xa3d253705736954bL, 163, 655},
    };
    Partitioner q256 = new Partitioner(256);
    Partitioner q1024 = new Partitioner(1024);
    Partitioner q1 = new Partitioner(1);
    for (Object[] g : golden) {
      byte[] key = (byte[]) g[0];
      assertEquals((long) g[1], Partitioner.hashOf(key));
      assertEquals((int) g[2], q256.partitionOf(key));
      assertEquals((int) g[3], q1024.partitionOf(key));
      assertEquals(0, q1.partitionOf(key));
    }
  }

  /**
   * The allocation-free implementation agrees with Guava's Murmur3-128 on every tail length and
   * on bytes with the sign bit set (a signed-byte slip would show here).
   */
  @Test
  void hashIsGuavasMurmur3ForEveryLengthAndByte() {
    Random rnd = new Random(11);
    var guava = com.google.common.hash.Hashing.murmur3_128();
    for (int len = 0; len <= 300; len++) {
      for (int round = 0; round < 20; round++) {
        byte[] key = new byte[len];
        rnd.nextBytes(key);
        assertEquals(guava.hashBytes(key).asLong(), Partitioner.hashOf(key), "length " + len);
      }
    }
    byte[] high = new byte[33];
    java.util.Arrays.fill(high, (byte) 0xff);
    assertEquals(guava.hashBytes(high).asLong(), Partitioner.hashOf(high));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, -256, 3, 6, 100, 255, 1 << 17, Integer.MIN_VALUE})
  void partitionCountMustBeAPowerOfTwoUpTo65536(int q) {
    assertThrows(IllegalArgumentException.class, () -> new Partitioner(q));
  }

  @Test
  void everyPowerOfTwoFrom1To65536IsAccepted() {
    for (int q = 1; q <= 65536; q <<= 1) {
      assertEquals(q, new Partitioner(q).partitionCount());
    }
    assertEquals(256, Partitioner.DEFAULT_PARTITION_COUNT);
  }

  /** Chi-square over 256 partitions (255 degrees of freedom; 400 is about 5.5 sigma). */
  @Test
  void randomAndSequentialKeysSpreadEvenlyOverPartitions() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    Partitioner part = new Partitioner(256);
    int keys = 256 * 400;
    long[] random = new long[256];
    long[] sequential = new long[256];
    for (int i = 0; i < keys; i++) {
      byte[] key = new byte[8 + rnd.nextInt(24)]; // long enough that keys hardly repeat
      rnd.nextBytes(key);
      random[part.partitionOf(key)]++;
      sequential[part.partitionOf(utf8("user:" + i))]++;
    }
    assertTrue(chiSquare(random, keys) < 400, "seed=" + seed + " chi2=" + chiSquare(random, keys));
    assertTrue(chiSquare(sequential, keys) < 400, "sequential chi2=" + chiSquare(sequential, keys));
  }

  private static double chiSquare(long[] counts, int total) {
    double expected = (double) total / counts.length;
    double sum = 0;
    for (long c : counts) {
      sum += (c - expected) * (c - expected) / expected;
    }
    return sum;
  }

  @Test
  void hashRangesTileTheSpaceInOrderAndContainExactlyTheirHashes() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int q = 1; q <= 65536; q <<= 1) {
      Partitioner part = new Partitioner(q);
      assertEquals(0, part.rangeOf(0).start(), "q=" + q);
      assertEquals(0, part.rangeOf(q - 1).endExclusive(), "last range ends at 2^64, q=" + q);
      for (int p = 0; p + 1 < q && p < 64; p++) {
        assertEquals(part.rangeOf(p).endExclusive(), part.rangeOf(p + 1).start(), "q=" + q);
      }
      for (int i = 0; i < 200; i++) {
        long h = rnd.nextLong();
        int p = part.partitionOfHash(h);
        int other = rnd.nextInt(q);
        String msg = "seed=" + seed + " q=" + q + " h=" + Long.toUnsignedString(h);
        assertTrue(part.rangeOf(p).contains(h), msg);
        assertEquals(other == p, part.rangeOf(other).contains(h), msg);
      }
    }
    assertThrows(IllegalArgumentException.class, () -> new Partitioner(8).rangeOf(8));
    assertThrows(IllegalArgumentException.class, () -> new Partitioner(8).rangeOf(-1));
  }

  /** Partition p of Q splits into 2p and 2p+1 of 2Q: growing Q later would only split ranges. */
  @Test
  void doublingThePartitionCountSplitsEachPartitionInTwo() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      byte[] key = new byte[rnd.nextInt(40)];
      rnd.nextBytes(key);
      int bits = rnd.nextInt(16);
      int small = new Partitioner(1 << bits).partitionOf(key);
      int big = new Partitioner(1 << (bits + 1)).partitionOf(key);
      assertEquals(small, big >> 1, "seed=" + seed + " bits=" + bits);
    }
  }
}
