package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SiblingMergeTest {
  @Test
  void unionOfFieldsAndTheGreaterBytesOnAConflict() {
    byte[] s1 = FieldCodec.encode(Map.of("field0", bytes(1, 2), "field1", bytes(9)));
    byte[] s2 = FieldCodec.encode(Map.of("field0", bytes(1, 3), "field2", bytes(5)));
    SortedMap<String, byte[]> merged = SiblingMerge.merge(List.of(s1, s2));
    assertEquals(List.of("field0", "field1", "field2"), List.copyOf(merged.keySet()));
    assertArrayEquals(bytes(1, 3), merged.get("field0"));
    assertArrayEquals(bytes(9), merged.get("field1"));
    assertArrayEquals(bytes(5), merged.get("field2"));
  }

  @Test
  void bytesCompareUnsignedAndAPrefixLosesToItsExtension() {
    byte[] negative = FieldCodec.encode(Map.of("f", bytes(0x80))); // 128 unsigned, -128 signed
    byte[] positive = FieldCodec.encode(Map.of("f", bytes(0x7f)));
    assertArrayEquals(bytes(0x80), SiblingMerge.merge(List.of(positive, negative)).get("f"));
    byte[] prefix = FieldCodec.encode(Map.of("f", bytes(1)));
    byte[] longer = FieldCodec.encode(Map.of("f", bytes(1, 0)));
    assertArrayEquals(bytes(1, 0), SiblingMerge.merge(List.of(longer, prefix)).get("f"));
  }

  @Test
  void noSiblingsIsAnEmptyRecordAndAForeignValueIsAnError() {
    assertEquals(0, SiblingMerge.merge(List.of()).size());
    assertThrows(MalformedRecordException.class, () -> SiblingMerge.merge(List.of(bytes(9, 9))));
  }

  /**
   * Seeded: the merge equals a simple model (per field, the maximum by unsigned bytes over all
   * siblings), whatever the order of the siblings, and merging a merge with more siblings is the
   * merge of them all (associative), so clients that resolve in any order converge.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {11, 12, 13, 14, 15, 16})
  void matchesTheModelInAnyOrderAndGrouping(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 100; round++) {
      List<byte[]> siblings = new ArrayList<>();
      int count = random.nextInt(1, 6);
      for (int i = 0; i < count; i++) {
        siblings.add(FieldCodec.encode(FieldCodecTest.randomRecord(random)));
      }
      Map<String, byte[]> model = model(siblings);
      assertSame(model, SiblingMerge.merge(siblings), seed);
      List<byte[]> shuffled = new ArrayList<>(siblings);
      Collections.shuffle(shuffled, new java.util.Random(random.nextLong()));
      assertSame(model, SiblingMerge.merge(shuffled), seed);
      int split = random.nextInt(count + 1);
      byte[] firstPart = FieldCodec.encode(SiblingMerge.merge(siblings.subList(0, split)));
      List<byte[]> regrouped = new ArrayList<>(siblings.subList(split, count));
      regrouped.add(firstPart);
      assertSame(model, SiblingMerge.merge(regrouped), seed);
    }
  }

  private static Map<String, byte[]> model(List<byte[]> siblings) {
    Map<String, byte[]> best = new TreeMap<>();
    for (byte[] s : siblings) {
      FieldCodec.decode(s).forEach((name, v) -> {
        byte[] old = best.get(name);
        if (old == null || Arrays.compareUnsigned(v, old) > 0) {
          best.put(name, v);
        }
      });
    }
    return best;
  }

  private static void assertSame(Map<String, byte[]> want, Map<String, byte[]> got, long seed) {
    assertEquals(want.keySet(), got.keySet(), "seed " + seed);
    want.forEach((k, v) -> assertArrayEquals(v, got.get(k), "seed " + seed + " field " + k));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }
}
