package io.kvstore.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The binary encoding of FORMAT.md: round trips, the documented example, and corruption. */
class RingCodecTest {
  private static final Ring SMALL = Ring.create(16, List.of(NodeId.of("a"), NodeId.of("bb")));

  private static String rejection(byte[] bytes) {
    return assertThrows(IllegalArgumentException.class, () -> Ring.decode(bytes)).getMessage();
  }

  /** Rewrites the trailing CRC so that a deliberately invalid field gets past the checksum. */
  private static byte[] recrc(byte[] bytes) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, bytes.length - 4);
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, (int) crc.getValue());
    return bytes;
  }

  @Test
  void randomRingsRoundTrip() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    for (int i = 0; i < 200; i++) {
      int q = RandomRings.partitionCount(rnd);
      Ring ring = rnd.nextBoolean()
          ? RandomRings.arbitrary(rnd, q, 1 + rnd.nextInt(q))
          : RandomRings.churned(rnd, q, rnd.nextInt(10));
      Ring decoded = Ring.decode(ring.encode());
      assertEquals(ring, decoded, "seed=" + seed);
      assertEquals(ring.epoch(), decoded.epoch(), "seed=" + seed);
      assertArrayEquals(ring.encode(), decoded.encode(), "seed=" + seed);
    }
  }

  /** More than 256 nodes switches the owner table to two-byte indices. */
  @Test
  void ringsWithManyNodesAndLongIdsRoundTrip() {
    long seed = Seeds.pick();
    Random rnd = new Random(seed);
    Ring wide = RandomRings.arbitrary(rnd, 1024, 300);
    assertEquals(wide, Ring.decode(wide.encode()), "seed=" + seed);
    Ring longIds = Ring.create(4, List.of(NodeId.of("é".repeat(127)), NodeId.of("x".repeat(255))));
    assertEquals(longIds, Ring.decode(longIds.encode()));
    Ring huge = Ring.create(65536, List.of(NodeId.of("a"), NodeId.of("b"), NodeId.of("c")));
    assertEquals(huge, Ring.decode(huge.encode()));
    assertEquals(29 + 3 * 2 + 65536, huge.encode().length); // one byte per owner
  }

  @Test
  void encodingOfTheFormatMdExampleIsByteExact() {
    Ring ring = Ring.fromAssignment(1, List.of(NodeId.of("a"), NodeId.of("b")));
    String hex = "4B565247" + "01" + "00000023" + "0000000000000001" + "00000002" + "00000002"
        + "0161" + "0162" + "00" + "01" + "D1382BA6";
    assertEquals(hex, HexFormat.of().withUpperCase().formatHex(ring.encode()));
  }

  @Test
  void everySingleBitFlipIsRejected() {
    byte[] good = SMALL.encode();
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] bad = good.clone();
      bad[bit / 8] ^= (byte) (1 << (bit % 8));
      String msg = rejection(bad);
      assertTrue(msg.startsWith("malformed ring encoding: "), msg);
    }
    assertTrue(rejection(flip(good, good.length - 10)).contains("checksum mismatch"));
  }

  private static byte[] flip(byte[] bytes, int index) {
    byte[] out = bytes.clone();
    out[index] ^= 0x01;
    return out;
  }

  @Test
  void everyTruncationAndAnyTrailingBytesAreRejected() {
    byte[] good = SMALL.encode();
    for (int len = 0; len < good.length; len++) {
      String msg = rejection(Arrays.copyOf(good, len));
      assertTrue(msg.contains("truncated"), "len=" + len + ": " + msg);
    }
    assertTrue(rejection(Arrays.copyOf(good, good.length + 1)).contains("trailing bytes"));
  }

  @Test
  void wrongMagicAndUnknownVersionAreNamed() {
    byte[] magic = SMALL.encode();
    magic[0] = 'X';
    assertTrue(rejection(magic).contains("bad magic"), rejection(magic));
    byte[] version = SMALL.encode();
    version[4] = 2;
    assertTrue(rejection(version).contains("unsupported format version 2"), rejection(version));
  }

  /** Fields that pass the checksum but break a rule: a buggy or hostile writer. */
  @Test
  void checksummedButInvalidFieldsAreRejectedWithTheirReason() {
    byte[] good = Ring.fromAssignment(1, List.of(NodeId.of("a"), NodeId.of("b"))).encode();
    byte[] epoch = good.clone();
    epoch[9] = (byte) 0x80;
    assertTrue(rejection(recrc(epoch)).contains("negative epoch"));
    byte[] q = good.clone();
    q[20] = 3;
    assertTrue(rejection(recrc(q)).contains("partition count 3"));
    byte[] s = good.clone();
    s[24] = 3;
    assertTrue(rejection(recrc(s)).contains("node count 3"));
    byte[] order = good.clone();
    order[26] = 'b';
    assertTrue(rejection(recrc(order)).contains("not strictly ascending"));
    byte[] badId = good.clone();
    badId[26] = ' ';
    assertTrue(rejection(recrc(badId)).contains("node id #0 is invalid"));
    byte[] index = good.clone();
    index[30] = 2;
    assertTrue(rejection(recrc(index)).contains("owner index 2 of partition 1"));
    byte[] unused = good.clone();
    unused[30] = 0;
    assertTrue(rejection(recrc(unused)).contains("node b owns no partition"));
  }
}
