package io.kvstore.clustertests.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetCodecTest {
  @Test
  void encodingIsSortedCommaSeparatedAndCanonical() {
    assertEquals("1,5,9", SetCodec.encode(List.of(9, 1, 5, 5)));
    assertEquals("", SetCodec.encode(Set.of()));
    assertEquals("-3,0,7", SetCodec.encode(Set.of(7, -3, 0)));
  }

  @Test
  void randomSetsRoundTrip() {
    Seeds.trials("SetCodecTest#randomSetsRoundTrip", 500, seed -> {
      Random rnd = new Random(seed);
      TreeSet<Integer> s = new TreeSet<>();
      int n = rnd.nextInt(20);
      for (int j = 0; j < n; j++) {
        s.add(rnd.nextInt(2000) - 1000);
      }
      assertEquals(s, SetCodec.decode(SetCodec.encode(s)));
    });
  }

  @Test
  void unionOfSiblingsIsWhatASetReadObserved() {
    assertEquals(new TreeSet<>(List.of(1, 2, 3, 9)), SetCodec.union(List.of("1,2", "2,3", "", "9")));
    assertEquals("1,2,4", SetCodec.add(List.of("1", "2"), 4));
    assertEquals("4", SetCodec.add(List.of(), 4));
  }

  @ParameterizedTest
  @ValueSource(strings = {"1,,2", "1, 2", "a", "1,", ",1", "+1", "01", "99999999999", " 1"})
  void malformedValuesAreRejected(String bad) {
    assertThrows(IllegalArgumentException.class, () -> SetCodec.decode(bad));
  }
}
