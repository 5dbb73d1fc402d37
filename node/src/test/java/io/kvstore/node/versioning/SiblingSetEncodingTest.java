package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** FORMAT.md "Sibling set": round trips, canonical bytes, and rejection of every kind of damage. */
class SiblingSetEncodingTest {
  private static final Actor A = new Actor("a", 1);
  private static final Actor B = new Actor("b", 7);

  /** A random reachable state whose values are random bytes (empty included) and tombstones. */
  private static SiblingSet randomState(Random r) {
    SiblingSet s = SiblingSet.EMPTY;
    SiblingSet other = SiblingSet.EMPTY;
    int n = r.nextInt(8);
    for (int i = 0; i < n; i++) {
      Value v = r.nextInt(5) == 0 ? Value.TOMBSTONE : Value.of(Gen.bytes(r, 40));
      VersionVector ctx = r.nextBoolean() ? VersionVector.EMPTY : other.context();
      if (r.nextBoolean()) {
        s = s.put(v, ctx, Gen.actor(r));
      } else {
        other = other.put(v, ctx, Gen.actor(r));
      }
      if (r.nextInt(4) == 0) {
        s = SiblingSet.sync(s, other);
      }
    }
    return r.nextBoolean() ? s : Gen.arbitrary(r);
  }

  @Test
  void roundTripIsExactAndCanonical() {
    Seeds.trials(
        "SiblingSetEncodingTest#roundTripIsExactAndCanonical",
        1000,
        seed -> {
          SiblingSet s = randomState(new Random(seed));
          byte[] enc = s.encode();
          SiblingSet back = SiblingSet.decode(enc);
          assertEquals(s, back);
          assertArrayEquals(enc, back.encode());
          assertEquals(Occurred.EQUAL, s.compare(back));
        });
    assertEquals(SiblingSet.EMPTY, SiblingSet.decode(SiblingSet.EMPTY.encode()));
  }

  /** The worked example in FORMAT.md, byte for byte. */
  @Test
  void formatMdExampleIsExact() {
    SiblingSet s = SiblingSet.EMPTY.put(new byte[] {'x'}, VersionVector.EMPTY, A);
    s = s.put("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII), s.context(), A);
    byte[] enc = s.encode();
    String hex = java.util.HexFormat.of().formatHex(enc, 0, enc.length - 4);
    assertEquals(
        "02" + "00000001" + "0161" + "0000000000000001" + "0000000000000002"
            + "00000001" + "00000000" + "0000000000000002" + "00" + "00000002" + "6869",
        hex);
    assertEquals(13, SiblingSet.EMPTY.encode().length);
  }

  @Test
  void equalSetsBuiltInDifferentOrdersEncodeToEqualBytes() {
    SiblingSet x = SiblingSet.EMPTY.put(new byte[] {1}, VersionVector.EMPTY, B);
    x = x.put(new byte[] {2}, VersionVector.EMPTY, A);
    SiblingSet y = SiblingSet.EMPTY.put(new byte[] {2}, VersionVector.EMPTY, A);
    y = y.put(new byte[] {1}, VersionVector.EMPTY, B);
    assertArrayEquals(x.encode(), y.encode());
  }

  @Test
  void everyTruncationEveryBitFlipAndTrailingBytesAreRejected() {
    Seeds.trials(
        "SiblingSetEncodingTest#everyTruncationEveryBitFlipAndTrailingBytesAreRejected",
        40,
        seed -> {
          Random r = new Random(seed);
          byte[] enc = randomState(r).encode();
          for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            assertThrows(MalformedVersionException.class, () -> SiblingSet.decode(cut));
          }
          for (int bit = 0; bit < enc.length * 8; bit++) {
            byte[] flipped = enc.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(MalformedVersionException.class, () -> SiblingSet.decode(flipped));
          }
          byte[] longer = Arrays.copyOf(enc, enc.length + 1 + r.nextInt(4));
          assertThrows(MalformedVersionException.class, () -> SiblingSet.decode(longer));
        });
  }

  /** Builds raw encodings with a valid CRC, so the structural checks (not the CRC) must reject. */
  private static byte[] raw(Consumer<ByteWriter> body) {
    ByteWriter w = new ByteWriter(64);
    body.accept(w);
    w.crc32cFooter();
    return w.toByteArray();
  }

  private static void actor(ByteWriter w, String id, long inc, long counter) {
    new Actor(id, inc).writeTo(w);
    w.i64(counter);
  }

  private static void assertRejected(String expectedReason, byte[] bytes) {
    MalformedVersionException e =
        assertThrows(MalformedVersionException.class, () -> SiblingSet.decode(bytes));
    assertTrue(
        e.getMessage().contains(expectedReason),
        "expected '" + expectedReason + "' in: " + e.getMessage());
    assertTrue(e.getMessage().startsWith("malformed sibling set"), e.getMessage());
  }

  @Test
  void structuralDamageWithAValidChecksumIsRejectedByName() {
    byte[] good = SiblingSet.EMPTY.put(new byte[] {9}, VersionVector.EMPTY, A).encode();
    byte[] body = Arrays.copyOf(good, good.length - 4);
    assertRejected("trailing bytes", raw(w -> {
      w.bytes(body);
      w.u8(0);
    }));
    assertRejected("empty input", new byte[0]);
    assertRejected("unsupported format version 1", raw(w -> w.u8(1)));
    assertRejected("checksum mismatch", corruptCrc(good));
    assertRejected("negative actor count", raw(w -> {
      w.u8(2);
      w.i32(-1);
      w.i32(0);
    }));
    assertRejected("actor count 10001 exceeds limit", raw(w -> {
      w.u8(2);
      w.i32(10_001);
      w.i32(0);
    }));
    assertRejected("cannot fit", raw(w -> {
      w.u8(2);
      w.i32(1000);
      w.i32(0);
    }));
    assertRejected("empty node id", raw(w -> {
      w.u8(2);
      w.i32(1);
      w.u8(0);
      w.bytes(new byte[17]);
      w.i32(0);
    }));
    assertRejected("not valid UTF-8", raw(w -> {
      w.u8(2);
      w.i32(1);
      w.u8(1);
      w.u8(0xff);
      w.i64(1);
      w.i64(1);
      w.i32(0);
    }));
    assertRejected("incarnation 0 < 1", raw(w -> {
      w.u8(2);
      w.i32(1);
      w.u8(1);
      w.u8('a');
      w.i64(0);
      w.i64(1);
      w.i32(0);
    }));
    assertRejected("counter 0 of a#1 < 1", raw(w -> {
      w.u8(2);
      w.i32(1);
      actor(w, "a", 1, 0);
      w.i32(0);
    }));
    assertRejected("counter -5 of a#1 < 1", raw(w -> {
      w.u8(2);
      w.i32(1);
      actor(w, "a", 1, -5);
      w.i32(0);
    }));
    assertRejected("duplicate actor a#1", raw(w -> {
      w.u8(2);
      w.i32(2);
      actor(w, "a", 1, 1);
      actor(w, "a", 1, 2);
      w.i32(0);
    }));
    assertRejected("actors out of order", raw(w -> {
      w.u8(2);
      w.i32(2);
      actor(w, "b", 1, 1);
      actor(w, "a", 1, 2);
      w.i32(0);
    }));
    assertRejected("negative sibling count", oneActor(w -> w.i32(-3)));
    assertRejected("actor index 1 outside 0..0", oneActor(w -> sibling(w, 1, 1, 1)));
    assertRejected("actor index -1", oneActor(w -> sibling(w, -1, 1, 1)));
    assertRejected("sibling counter 0 < 1", oneActor(w -> sibling(w, 0, 0, 1)));
    assertRejected("not covered by clock", oneActor(w -> sibling(w, 0, 4, 1)));
    assertRejected("duplicate sibling", oneActor(w -> {
      w.i32(2);
      w.i32(0);
      w.i64(1);
      w.u8(1);
      w.i64(5);
      w.i32(0);
      w.i64(1);
      w.u8(1);
      w.i64(5);
    }));
    assertRejected("siblings out of order", oneActor(w -> {
      w.i32(2);
      w.i32(0);
      w.i64(2);
      w.u8(1);
      w.i64(5);
      w.i32(0);
      w.i64(1);
      w.u8(1);
      w.i64(5);
    }));
    assertRejected("unknown sibling kind 7", oneActor(w -> sibling(w, 0, 1, 7)));
    assertRejected("tombstone time -1 < 0", oneActor(w -> {
      sibling(w, 0, 1, 1);
      w.i64(-1);
    }));
    assertRejected("value length -1", oneActor(w -> {
      sibling(w, 0, 1, 0);
      w.i32(-1);
    }));
    assertRejected("value length 2147483647", oneActor(w -> {
      sibling(w, 0, 1, 0);
      w.i32(Integer.MAX_VALUE);
    }));
    assertRejected("truncated: need 200 bytes", raw(w -> {
      w.u8(2);
      w.i32(1);
      w.u8(200);
      w.bytes(new byte[30]);
    }));
  }

  private static byte[] corruptCrc(byte[] good) {
    byte[] b = good.clone();
    b[b.length - 1] ^= 1;
    return b;
  }

  /** A clock {a#1: 3} followed by whatever {@code siblings} writes (count included). */
  private static byte[] oneActor(Consumer<ByteWriter> siblings) {
    return raw(w -> {
      w.u8(2);
      w.i32(1);
      actor(w, "a", 1, 3);
      siblings.accept(w);
    });
  }

  /** Sibling count 1 and one sibling header (index, counter, kind). */
  private static void sibling(ByteWriter w, int index, long counter, int kind) {
    w.i32(1);
    w.i32(index);
    w.i64(counter);
    w.u8(kind);
  }

  /** Format 2: a tombstone keeps its delete time, which the purge grace period counts from. */
  @Test
  void aTombstoneKeepsItsDeleteTime() {
    SiblingSet s = SiblingSet.EMPTY.put(Value.tombstone(1_700_000_000_123L), VersionVector.EMPTY, A);
    SiblingSet back = SiblingSet.decode(s.encode());
    assertEquals(s, back);
    assertEquals(1_700_000_000_123L, back.siblings().getFirst().value().deletedAtMillis());
    assertNotEquals(s, SiblingSet.EMPTY.put(Value.tombstone(1), VersionVector.EMPTY, A));
  }

  @Test
  void aCausalContextIsNotASiblingSetAndViceVersa() {
    SiblingSet s = SiblingSet.EMPTY.put(new byte[] {1}, VersionVector.EMPTY, A);
    byte[] ctx = CausalContext.of(s.context()).encode();
    assertThrows(MalformedVersionException.class, () -> SiblingSet.decode(ctx));
    assertThrows(MalformedVersionException.class, () -> CausalContext.decode(s.encode()));
  }
}
