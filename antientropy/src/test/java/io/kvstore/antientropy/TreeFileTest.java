package io.kvstore.antientropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.antientropy.TreeFileException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The tree file of FORMAT.md: round trips, the documented example, and every kind of damage. */
class TreeFileTest {
  private static final TreeShape SHAPE = new TreeShape(4, 2);

  private static byte[] small() {
    return TreeFile.encode(4, SHAPE, Map.of(
        1, PartitionTree.of(SHAPE, new long[] {1, -1, 0, Long.MIN_VALUE}),
        3, PartitionTree.of(SHAPE, new long[] {5, 6, 7, 8})));
  }

  /** Decoding must fail with a TreeFileException and nothing else. */
  private static TreeFileException rejection(byte[] bytes) {
    try {
      TreeFile.decode(bytes);
    } catch (TreeFileException e) {
      return e;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("untyped failure " + e + " for " + HexFormat.of().formatHex(bytes),
          e);
    }
    return fail("decoded " + HexFormat.of().formatHex(bytes));
  }

  /** Rewrites the trailing CRC so that a deliberately invalid field gets past the checksum. */
  private static byte[] recrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  @Test
  void randomTreeSetsRoundTrip() throws TreeFileException {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int round = 0; round < 200; round++) {
      int q = 1 << rnd.nextInt(9);
      TreeShape shape = Model.randomShape(rnd);
      Map<Integer, PartitionTree> trees = new HashMap<>();
      int count = rnd.nextInt(Math.min(q, 8) + 1);
      for (int i = 0; i < count; i++) {
        long[] leaves = rnd.longs(shape.segments()).toArray();
        trees.put(rnd.nextInt(q), PartitionTree.of(shape, leaves));
      }
      byte[] bytes = TreeFile.encode(q, shape, trees);
      TreeFile.Contents c = TreeFile.decode(bytes);
      String ctx = "seed=" + seed + " round=" + round;
      assertEquals(q, c.partitionCount(), ctx);
      assertEquals(shape, c.shape(), ctx);
      assertEquals(trees.keySet(), c.trees().keySet(), ctx);
      for (int p : trees.keySet()) {
        Model.assertSameTree(trees.get(p), c.trees().get(p), ctx + " p=" + p);
        assertTrue(c.trees().get(p).built(), ctx);
      }
      assertArrayEquals(bytes, TreeFile.encode(q, shape, c.trees()), ctx);
    }
  }

  @Test
  void encodingOfTheFormatMdExampleIsByteExact() throws TreeFileException {
    TreeShape shape = new TreeShape(2, 1);
    byte[] bytes = TreeFile.encode(2, shape, Map.of(1, PartitionTree.of(shape, new long[] {1, 255})));
    String hex = "4B564145" + "00000001" + "00000034" + "00000002" + "00000002" + "00000001"
        + "00000001" + "00000001" + "0000000000000001" + "00000000000000FF" + "49CE6685";
    assertEquals(hex, HexFormat.of().withUpperCase().formatHex(bytes));
    assertEquals(Map.of(), TreeFile.decode(TreeFile.encode(1, shape, Map.of())).trees());
    assertEquals(32, TreeFile.encode(1, shape, Map.of()).length);
  }

  @Test
  void everySingleBitFlipIsDetected() {
    byte[] good = small();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      TreeFileException e = rejection(bad);
      Reason r = e.reason();
      int at = bit / 8;
      String ctx = "bit " + bit + ": " + e.getMessage();
      if (at < 4) {
        assertEquals(Reason.BAD_MAGIC, r, ctx);
      } else if (at >= 8 && at < 12) {
        assertTrue(r == Reason.TRUNCATED || r == Reason.TRAILING_BYTES
            || r == Reason.MALFORMED, ctx);
      } else {
        assertEquals(Reason.CHECKSUM_MISMATCH, r, ctx);
      }
    }
  }

  @Test
  void everyTruncationAndTrailingBytesAreDetected() {
    byte[] good = small();
    for (int len = 0; len < good.length; len++) {
      TreeFileException e = rejection(Arrays.copyOf(good, len));
      assertEquals(Reason.TRUNCATED, e.reason(), "len=" + len + ": " + e.getMessage());
      assertEquals(len, e.offset(), "len=" + len);
    }
    TreeFileException e = rejection(Arrays.copyOf(good, good.length + 3));
    assertEquals(Reason.TRAILING_BYTES, e.reason(), e.getMessage());
    assertEquals(good.length, e.offset());
  }

  @Test
  void wrongMagicIsNamedAtOffsetZero() {
    byte[] bad = small();
    bad[0] = 'X';
    TreeFileException e = rejection(bad);
    assertEquals(0, e.offset());
    assertEquals("tree file corrupt at offset 0: bad magic 0x58564145, expected 0x4b564145"
        + " (\"KVAE\")", e.getMessage());
  }

  @Test
  void intactNewerAndOlderVersionsAreTooNewAndTooOld() {
    byte[] newer = small();
    newer[7] = 2;
    assertEquals(Reason.CHECKSUM_MISMATCH, rejection(newer.clone()).reason()); // a flip
    TreeFileException tooNew = rejection(recrc(newer));
    assertEquals(Reason.TOO_NEW, tooNew.reason());
    assertEquals("tree file too new at offset 4: format version 2 is too new (this reader "
        + "supports 1 to 1)", tooNew.getMessage());
    byte[] older = small();
    older[7] = 0;
    TreeFileException tooOld = rejection(recrc(older));
    assertEquals(Reason.TOO_OLD, tooOld.reason());
    assertEquals("tree file too old at offset 4: format version 0 is too old (this reader "
        + "supports 1 to 1)", tooOld.getMessage());
    byte[] huge = small();
    huge[4] = (byte) 0xFF;
    assertTrue(rejection(recrc(huge)).getMessage().contains("format version 4278190081 is too"
        + " new"));
  }

  /** Fields that pass the checksum but break a rule: a buggy or hostile writer. */
  @Test
  void checksummedButInvalidFieldsAreMalformedWithTheirReason() {
    assertMalformed(12, 3, 12, "partition count must be a power of two in [1, 65536], got 3");
    assertMalformed(16, 3, 16, "segments must be a power of two in [1, 65536], got 3");
    assertMalformed(20, 8, 16, "fanout must be a power of two in [1, segments = 4], got 8");
    assertMalformed(24, 5, 24, "tree count 5 outside [0, 4]");
    assertMalformed(24, 1, 8, "length 104 does not match 1 trees of 4 segments (68 bytes)");
    assertMalformed(28, 3, 64, "partition 3 of tree #1 not above the previous 3");
    assertMalformed(64, 4, 64, "partition 4 of tree #1 >= partition count 4");
    assertMalformed(16, 2, 8, "length 104 does not match 2 trees of 2 segments (72 bytes)");
  }

  private static void assertMalformed(int field, int value, long offset, String detail) {
    byte[] bad = small();
    ByteBuffer.wrap(bad).putInt(field, value);
    if (field == 16) {
      ByteBuffer.wrap(bad).putInt(20, 1); // keep the fanout valid for the smaller shape
    }
    TreeFileException e = rejection(recrc(bad));
    assertEquals(Reason.MALFORMED, e.reason(), e.getMessage());
    assertEquals(offset, e.offset(), e.getMessage());
    assertEquals("tree file corrupt at offset " + offset + ": " + detail, e.getMessage());
  }

  @Test
  void declaredLengthTooShortForAnyFileIsMalformed() {
    byte[] tiny = recrc(ByteBuffer.allocate(16).putInt(TreeFile.MAGIC).putInt(1).putInt(16)
        .array());
    assertEquals("tree file corrupt at offset 8: length 16 is below the minimum 32",
        rejection(tiny).getMessage());
  }

  @Test
  void encodeRefusesUnbuiltForeignShapedOrOutOfRangeTrees() {
    assertEquals("tree of partition 0 is not built",
        assertThrows(IllegalArgumentException.class,
            () -> TreeFile.encode(2, SHAPE, Map.of(0, new PartitionTree(SHAPE)))).getMessage());
    TreeShape other = new TreeShape(4, 4);
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> TreeFile.encode(2, SHAPE, Map.of(0, PartitionTree.of(other, new long[4]))))
        .getMessage().startsWith("tree of partition 0 has shape"));
    assertEquals("partition 2 out of range [0, 2)",
        assertThrows(IllegalArgumentException.class,
            () -> TreeFile.encode(2, SHAPE, Map.of(2, PartitionTree.of(SHAPE, new long[4]))))
            .getMessage());
  }
}
