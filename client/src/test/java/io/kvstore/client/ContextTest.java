package io.kvstore.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The context's string form: URL-safe base64 without padding, as the server prints it. */
class ContextTest {

  @Test
  void base64RoundTripsRandomContexts() {
    long seed = 20261101L;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      byte[] bytes = new byte[1 + random.nextInt(200)];
      random.nextBytes(bytes);
      Context c = Context.of(bytes);
      String text = c.toBase64();
      assertTrue(text.matches("[A-Za-z0-9_-]+"), "seed " + seed + ": " + text);
      assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), text);
      assertEquals(c, Context.fromBase64(text), "seed " + seed);
      assertArrayEquals(bytes, Context.fromBase64(text).toBytes(), "seed " + seed);
    }
  }

  @Test
  void theEmptyContextIsTheEmptyString() {
    assertEquals("", Context.EMPTY.toBase64());
    assertSame(Context.EMPTY, Context.fromBase64(""));
    assertSame(Context.EMPTY, Context.of(new byte[0]));
    assertTrue(Context.EMPTY.isEmpty());
  }

  @Test
  void malformedTextIsRejected() {
    List<String> bad = List.of(
        "AQID+A", // '+' is the standard alphabet, not URL-safe
        "AQID/A",
        "AQI=", // padding
        "AQ==",
        "A", // no byte has a single base64 character
        "AB", // non-zero unused bits: not canonical
        "AQ ID",
        "é");
    for (String text : bad) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Context.fromBase64(text), text);
      assertTrue(e.getMessage().startsWith("malformed context"), e.getMessage());
    }
  }

  @Test
  void bytesAreCopiedInAndOut() {
    byte[] bytes = {1, 2, 3};
    Context c = Context.of(bytes);
    bytes[0] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, c.toBytes());
    c.toBytes()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, c.toBytes());
    assertNotEquals(c, Context.of(new byte[] {1, 2, 4}));
    assertEquals(c.hashCode(), Context.of(new byte[] {1, 2, 3}).hashCode());
  }
}
