package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FORMAT.md "Causal context": the client's opaque context, binary and string forms. */
class CausalContextTest {

  private static VersionVector actors(int n) {
    TreeMap<Actor, Long> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put(new Actor("node-" + i, 1), 1L + i);
    }
    return VersionVector.of(m);
  }

  @Test
  void roundTripsInBinaryAndStringForm() {
    Seeds.trials(
        "CausalContextTest#roundTripsInBinaryAndStringForm",
        1000,
        seed -> {
          Random r = new Random(seed);
          CausalContext c = CausalContext.of(Gen.vector(r, 1_000_000));
          assertEquals(c, CausalContext.decode(c.encode()));
          assertArrayEquals(c.encode(), CausalContext.decode(c.encode()).encode());
          String text = c.encodeToString();
          assertTrue(text.matches("[A-Za-z0-9_-]*"), text);
          assertEquals(c, CausalContext.parse(text));
        });
  }

  @Test
  void emptyContextIsZeroBytesAndTheEmptyStringAndMeansBlindWrite() {
    assertEquals(0, CausalContext.EMPTY.encode().length);
    assertEquals("", CausalContext.EMPTY.encodeToString());
    assertSame(CausalContext.EMPTY, CausalContext.decode(new byte[0]));
    assertSame(CausalContext.EMPTY, CausalContext.parse(""));
    assertSame(CausalContext.EMPTY, CausalContext.of(VersionVector.EMPTY));
    assertEquals(VersionVector.EMPTY, CausalContext.parse("").vector());
  }

  @Test
  void everyTruncationEveryBitFlipAndTrailingBytesAreRejected() {
    byte[] enc = CausalContext.of(actors(3)).encode();
    for (int len = 1; len < enc.length; len++) {
      byte[] cut = Arrays.copyOf(enc, len);
      assertThrows(MalformedVersionException.class, () -> CausalContext.decode(cut));
    }
    for (int bit = 0; bit < enc.length * 8; bit++) {
      byte[] flipped = enc.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(MalformedVersionException.class, () -> CausalContext.decode(flipped));
    }
    byte[] longer = Arrays.copyOf(enc, enc.length + 2);
    assertThrows(MalformedVersionException.class, () -> CausalContext.decode(longer));
    ByteWriter w = new ByteWriter(64);
    w.bytes(Arrays.copyOf(enc, enc.length - 4));
    w.u8(0);
    w.crc32cFooter();
    MalformedVersionException e =
        assertThrows(MalformedVersionException.class, () -> CausalContext.decode(w.toByteArray()));
    assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
  }

  @Test
  void oversizedContextsAreRejectedBeforeParsing() {
    CausalContext.Limits small = new CausalContext.Limits(200, 2);
    byte[] three = CausalContext.of(actors(3)).encode();
    MalformedVersionException e =
        assertThrows(MalformedVersionException.class, () -> CausalContext.decode(three, small));
    assertTrue(e.getMessage().contains("actor count 3 exceeds limit 2"), e.getMessage());
    byte[] big = CausalContext.of(actors(20)).encode();
    e = assertThrows(MalformedVersionException.class, () -> CausalContext.decode(big, small));
    assertTrue(e.getMessage().contains("exceed the limit of 200"), e.getMessage());
    String bigText = CausalContext.of(actors(20)).encodeToString();
    e = assertThrows(MalformedVersionException.class, () -> CausalContext.parse(bigText, small));
    assertTrue(e.getMessage().contains("characters exceed"), e.getMessage());

    byte[] tooManyActors = CausalContext.of(actors(10_001)).encode();
    assertThrows(MalformedVersionException.class, () -> CausalContext.decode(tooManyActors));
    CausalContext.Limits roomy = new CausalContext.Limits(1 << 20, 10_000);
    e =
        assertThrows(
            MalformedVersionException.class, () -> CausalContext.decode(tooManyActors, roomy));
    assertTrue(e.getMessage().contains("actor count 10001 exceeds limit 10000"), e.getMessage());
    assertEquals(10_000, CausalContext.decode(CausalContext.of(actors(10_000)).encode(), roomy)
        .vector().size());
  }

  @Test
  void aLyingActorCountCannotForceAHugeAllocation() {
    ByteWriter w = new ByteWriter(16);
    w.u8(1);
    w.i32(9_999);
    w.crc32cFooter();
    MalformedVersionException e =
        assertThrows(MalformedVersionException.class, () -> CausalContext.decode(w.toByteArray()));
    assertTrue(e.getMessage().contains("cannot fit"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "AQ==", // padding
        "A", // impossible length
        "AB+/", // standard, not URL-safe, alphabet
        "AB C", // whitespace
        "AR", // non-zero unused bits (non-canonical)
        "!!!!",
        "AQAAAAA" // valid base64, truncated context
      })
  void malformedStringFormsAreRejected(String text) {
    assertThrows(MalformedVersionException.class, () -> CausalContext.parse(text));
  }

  @Test
  void nonCanonicalBase64WithUnusedBitsSetIsRejected() {
    String text = CausalContext.of(actors(2)).encodeToString();
    assertEquals(1, CausalContext.of(actors(2)).encode().length % 3, "last char has 4 unused bits");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    int last = alphabet.indexOf(text.charAt(text.length() - 1));
    assertEquals(0, last & 0xf);
    String tampered = text.substring(0, text.length() - 1) + alphabet.charAt(last | 1);
    MalformedVersionException e =
        assertThrows(MalformedVersionException.class, () -> CausalContext.parse(tampered));
    assertTrue(e.getMessage().contains("not canonical"), e.getMessage());
  }

  @Test
  void stringFormIsUrlSafeBase64WithoutPaddingOfTheBinaryForm() {
    CausalContext c = CausalContext.of(actors(2));
    assertEquals(
        Base64.getUrlEncoder().withoutPadding().encodeToString(c.encode()), c.encodeToString());
  }
}
