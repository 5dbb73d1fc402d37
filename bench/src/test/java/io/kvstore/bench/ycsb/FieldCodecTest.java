package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FieldCodecTest {
  @Test
  void oneFieldOf100BytesIsTheFormatMdLayoutAnd115Bytes() {
    byte[] value = new byte[100];
    java.util.Arrays.fill(value, (byte) 'x');
    byte[] encoded = FieldCodec.encode(Map.of("field0", value));
    assertEquals(1 + 2 + 2 + 6 + 4 + 100, encoded.length);
    assertEquals(1, encoded[0]); // version
    assertEquals(0, encoded[1]); // field count, big-endian u16
    assertEquals(1, encoded[2]);
    assertEquals(6, encoded[4]); // name length
    assertEquals("field0", new String(encoded, 5, 6, StandardCharsets.US_ASCII));
    assertEquals(100, encoded[14]); // value length, big-endian u32 at offset 11
    assertArrayEquals(value, FieldCodec.decode(encoded).get("field0"));
  }

  @Test
  void encodingIsCanonicalWhateverTheMapOrder() {
    Map<String, byte[]> ab = new LinkedHashMap<>();
    ab.put("a", new byte[] {1});
    ab.put("b", new byte[] {2});
    Map<String, byte[]> ba = new LinkedHashMap<>();
    ba.put("b", new byte[] {2});
    ba.put("a", new byte[] {1});
    assertArrayEquals(FieldCodec.encode(ab), FieldCodec.encode(ba));
  }

  /** Seeded round trips of random records (names with non-ASCII, empty values, no fields). */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void decodeInvertsEncode(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      Map<String, byte[]> record = randomRecord(random);
      SortedMap<String, byte[]> back = FieldCodec.decode(FieldCodec.encode(record));
      assertEquals(record.keySet(), back.keySet(), "seed " + seed);
      record.forEach((k, v) -> assertArrayEquals(v, back.get(k), "seed " + seed + " field " + k));
    }
  }

  @Test
  void everyTruncationIsRejectedWithItsOffset() {
    byte[] encoded = FieldCodec.encode(Map.of("field0", new byte[10], "field1", new byte[3]));
    for (int length = 0; length < encoded.length; length++) {
      byte[] cut = java.util.Arrays.copyOf(encoded, length);
      MalformedRecordException e = assertThrows(MalformedRecordException.class,
          () -> FieldCodec.decode(cut), "length " + length);
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void trailingBytesUnknownVersionAndDisorderAreRejected() {
    byte[] encoded = FieldCodec.encode(Map.of("f", new byte[] {7}));
    byte[] longer = java.util.Arrays.copyOf(encoded, encoded.length + 1);
    assertThrows(MalformedRecordException.class, () -> FieldCodec.decode(longer));
    byte[] v2 = encoded.clone();
    v2[0] = 2;
    assertThrows(MalformedRecordException.class, () -> FieldCodec.decode(v2));
    // two fields written "b" then "a": not the canonical order, so not ours
    byte[] disorder = {1, 0, 2, 0, 1, 'b', 0, 0, 0, 0, 0, 1, 'a', 0, 0, 0, 0};
    assertThrows(MalformedRecordException.class, () -> FieldCodec.decode(disorder));
  }

  static Map<String, byte[]> randomRecord(SplittableRandom random) {
    Map<String, byte[]> record = new LinkedHashMap<>();
    int fields = random.nextInt(5);
    for (int i = 0; i < fields; i++) {
      String name = random.nextBoolean() ? "field" + random.nextInt(4) : "f\u00e9" + random.nextInt(3);
      byte[] value = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(1, 40)];
      random.nextBytes(value);
      record.put(name, value);
    }
    return record;
  }
}
