package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ring hash, entry hash, and the partition/segment bit selection and prefix bounds of FORMAT.md. */
class KeyHashesTest {
  private static final int[] QS = {1, 2, 16, 256, 65536};
  private static final TreeShape[] SHAPES = {
    new TreeShape(1, 1), new TreeShape(2, 1), TreeShape.DEFAULT, new TreeShape(65536, 256)
  };

  @Test
  void ringHashIsTheRingsMurmurPosition() {
    byte[] key = "user:42".getBytes(StandardCharsets.UTF_8);
    assertEquals(Hashing.murmur3_128().hashBytes(key).asLong(), KeyHashes.ringHash(key));
  }

  @Test
  void entryHashCoversBigEndianKeyLengthThenKeyThenValue() {
    byte[] key = {1, 2, 3};
    byte[] value = {9, 8};
    byte[] framed = ByteBuffer.allocate(4 + 3 + 2).putInt(3).put(key).put(value).array();
    assertEquals(Hashing.murmur3_128().hashBytes(framed).asLong(),
        KeyHashes.entryHash(key, value));
    // The length frame keeps key/value boundaries apart.
    assertNotEquals(KeyHashes.entryHash(new byte[] {1, 2}, new byte[] {3}),
        KeyHashes.entryHash(new byte[] {1}, new byte[] {2, 3}));
  }

  @Test
  void segmentIsTheBitsBelowThePartitionBits() {
    long hash = 0b1001L << 60 | 0x0123_4567_89abL;
    assertEquals(2, KeyHashes.partitionOf(hash, 4));
    assertEquals(1, KeyHashes.segmentOf(hash, 4, new TreeShape(4, 2)));
    assertEquals(0b1001, KeyHashes.segmentOf(hash, 1, new TreeShape(16, 4)));
    assertEquals(0, KeyHashes.segmentOf(hash, 4, new TreeShape(1, 1)));
    assertEquals(0xffff, KeyHashes.segmentOf(-1L, 65536, new TreeShape(65536, 1)));
    assertEquals(0xffff, KeyHashes.partitionOf(-1L, 65536));
    // FORMAT.md's example: Q = 4, S = 4, hash 0x9000... is partition 2, segment 1.
    TreeShape s4 = new TreeShape(4, 1);
    assertEquals(2, KeyHashes.partitionOf(0x9000_0000_0000_0000L, 4));
    assertEquals(1, KeyHashes.segmentOf(0x9000_0000_0000_0000L, 4, s4));
    assertEquals("9000000000000000", HexFormat.of().formatHex(KeyHashes.segmentStart(2, 1, 4, s4)));
    assertEquals("a000000000000000", HexFormat.of().formatHex(KeyHashes.segmentEnd(2, 1, 4, s4)));
  }

  @Test
  void prefixIsTheHashBigEndian() {
    assertEquals("0123456789abcdef",
        HexFormat.of().formatHex(KeyHashes.prefix(0x0123_4567_89ab_cdefL)));
    assertEquals("ffffffffffffffff", HexFormat.of().formatHex(KeyHashes.prefix(-1L)));
  }

  /** Every hash's prefix lies in [segmentStart, segmentEnd) of its own (partition, segment). */
  @Test
  void randomHashesLieWithinTheirSegmentAndPartitionBounds() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int q : QS) {
      for (TreeShape shape : SHAPES) {
        for (int i = 0; i < 500; i++) {
          long hash = i < 4 ? new long[] {0, -1L, Long.MIN_VALUE, Long.MAX_VALUE}[i]
              : rnd.nextLong() >>> (i % 3 == 0 ? rnd.nextInt(64) : 0);
          String ctx = String.format("seed=%d q=%d shape=%s hash=%016x", seed, q, shape, hash);
          int p = KeyHashes.partitionOf(hash, q);
          int s = KeyHashes.segmentOf(hash, q, shape);
          byte[] prefix = KeyHashes.prefix(hash);
          assertWithin(prefix, KeyHashes.segmentStart(p, s, q, shape),
              KeyHashes.segmentEnd(p, s, q, shape), ctx);
          assertWithin(prefix, KeyHashes.partitionStart(p, q), KeyHashes.partitionEnd(p, q), ctx);
          byte[] start = KeyHashes.segmentStart(p, s, q, shape);
          long startHash = ByteBuffer.wrap(start).getLong();
          assertEquals(p, KeyHashes.partitionOf(startHash, q), ctx);
          assertEquals(s, KeyHashes.segmentOf(startHash, q, shape), ctx);
        }
      }
    }
  }

  private static void assertWithin(byte[] prefix, byte[] start, byte[] end, String ctx) {
    assertTrue(Arrays.compareUnsigned(start, prefix) <= 0, ctx + " below start");
    assertTrue(end == null || Arrays.compareUnsigned(prefix, end) < 0, ctx + " at/after end");
  }

  /** Segments follow each other without gap or overlap, across partitions, to the end. */
  @Test
  void segmentRangesTileTheHashSpace() {
    int[][] cases = {{1, 1}, {1, 16}, {2, 1}, {4, 8}, {16, 64}, {65536, 1}, {1, 65536}};
    for (int[] c : cases) {
      int q = c[0];
      TreeShape shape = new TreeShape(c[1], 1);
      byte[] expectedStart = new byte[8];
      for (int p = 0; p < q; p++) {
        assertArrayEquals(expectedStart, KeyHashes.partitionStart(p, q), "q=" + q + " p=" + p);
        for (int s = 0; s < shape.segments(); s++) {
          String ctx = "q=" + q + " s=" + shape.segments() + " p=" + p + " seg=" + s;
          assertArrayEquals(expectedStart, KeyHashes.segmentStart(p, s, q, shape), ctx);
          expectedStart = KeyHashes.segmentEnd(p, s, q, shape);
          if (p == q - 1 && s == shape.segments() - 1) {
            assertNull(expectedStart, ctx);
          } else {
            assertTrue(Arrays.compareUnsigned(
                KeyHashes.segmentStart(p, s, q, shape), expectedStart) < 0, ctx);
          }
        }
        if (p < q - 1) {
          assertArrayEquals(expectedStart, KeyHashes.partitionEnd(p, q), "q=" + q + " p=" + p);
        } else {
          assertNull(KeyHashes.partitionEnd(p, q), "q=" + q);
        }
      }
    }
  }

  @Test
  void lastSegmentOfTheLastPartitionEndsAtTheEndOfTheHashSpace() {
    TreeShape shape = new TreeShape(4, 2);
    assertEquals("c000000000000000",
        HexFormat.of().formatHex(KeyHashes.segmentStart(3, 0, 4, shape)));
    assertEquals("f000000000000000",
        HexFormat.of().formatHex(KeyHashes.segmentStart(3, 3, 4, shape)));
    assertNull(KeyHashes.segmentEnd(3, 3, 4, shape));
    assertEquals("c000000000000000",
        HexFormat.of().formatHex(KeyHashes.segmentEnd(2, 3, 4, shape)));
    assertNull(KeyHashes.segmentEnd(0, 0, 1, new TreeShape(1, 1)));
    assertNull(KeyHashes.partitionEnd(0, 1));
  }

  @Test
  void badPartitionCountsAndOutOfRangeIdsAreRefused() {
    assertEquals("partition count must be a power of two in [1, 65536], got 3",
        assertThrows(IllegalArgumentException.class, () -> KeyHashes.partitionOf(0, 3))
            .getMessage());
    assertEquals("partition 4 out of range [0, 4)",
        assertThrows(IllegalArgumentException.class, () -> KeyHashes.partitionStart(4, 4))
            .getMessage());
    assertEquals("segment 2 out of range [0, 2)",
        assertThrows(IllegalArgumentException.class,
            () -> KeyHashes.segmentEnd(0, 2, 4, new TreeShape(2, 1))).getMessage());
  }
}
