package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class VersionVectorTest {
  private static final Actor A = new Actor("a", 1);
  private static final Actor B = new Actor("b", 1);
  private static final Actor A2 = new Actor("a", 2);

  private static VersionVector vv(Object... actorThenCount) {
    TreeMap<Actor, Long> m = new TreeMap<>();
    for (int i = 0; i < actorThenCount.length; i += 2) {
      m.put((Actor) actorThenCount[i], ((Number) actorThenCount[i + 1]).longValue());
    }
    return VersionVector.of(m);
  }

  @Test
  void compareAnswersVoldemortStyleRelations() {
    assertEquals(Occurred.EQUAL, VersionVector.EMPTY.compare(VersionVector.EMPTY));
    assertEquals(Occurred.EQUAL, vv(A, 2, B, 1).compare(vv(B, 1, A, 2)));
    assertEquals(Occurred.BEFORE, VersionVector.EMPTY.compare(vv(A, 1)));
    assertEquals(Occurred.BEFORE, vv(A, 1).compare(vv(A, 2)));
    assertEquals(Occurred.BEFORE, vv(A, 1).compare(vv(A, 1, B, 1)));
    assertEquals(Occurred.AFTER, vv(A, 3, B, 1).compare(vv(A, 2)));
    assertEquals(Occurred.CONCURRENT, vv(A, 1).compare(vv(B, 1)));
    assertEquals(Occurred.CONCURRENT, vv(A, 2, B, 1).compare(vv(A, 1, B, 2)));
    assertEquals(Occurred.CONCURRENT, vv(A, 1).compare(vv(A2, 1)));
  }

  @Test
  void getIncrementCoversAndMerge() {
    VersionVector v = vv(A, 2);
    assertEquals(0, v.get(B));
    assertEquals(3, v.increment(A).get(A));
    assertEquals(1, v.increment(B).get(B));
    assertEquals(vv(A, 2), v, "increment must not change the receiver");
    assertTrue(v.covers(new Dot(A, 2)));
    assertFalse(v.covers(new Dot(A, 3)));
    assertFalse(v.covers(new Dot(A2, 1)));
    assertEquals(vv(A, 3, B, 4), vv(A, 3, B, 1).merge(vv(A, 1, B, 4)));
  }

  @Test
  void rejectsNonPositiveCountersAndOverflow() {
    assertThrows(IllegalArgumentException.class, () -> vv(A, 0));
    assertThrows(IllegalArgumentException.class, () -> vv(A, -1));
    assertThrows(ArithmeticException.class, () -> vv(A, Long.MAX_VALUE).increment(A));
  }

  @Test
  void actorValidationAndOrder() {
    assertThrows(IllegalArgumentException.class, () -> new Actor("", 1));
    assertThrows(IllegalArgumentException.class, () -> new Actor("x".repeat(256), 1));
    assertThrows(IllegalArgumentException.class, () -> new Actor("bad\ud800", 1));
    assertThrows(IllegalArgumentException.class, () -> new Actor("a", 0));
    new Actor("x".repeat(255), Long.MAX_VALUE);
    assertTrue(A.compareTo(A2) < 0);
    assertTrue(A2.compareTo(B) < 0);
    assertThrows(IllegalArgumentException.class, () -> new Dot(A, 0));
  }

  @Test
  void actorOrderIsTheUnsignedOrderOfTheUtf8NodeIds() {
    String[] alphabet = {"a", "z", "\u00e9", "\uffee", "\ud83d\ude00", "\ud800\udc00", "-"};
    Seeds.trials(
        "VersionVectorTest#actorOrderIsTheUnsignedOrderOfTheUtf8NodeIds",
        2000,
        seed -> {
          Random r = new Random(seed);
          String x = randomId(r, alphabet);
          String y = randomId(r, alphabet);
          int expected =
              Integer.signum(
                  java.util.Arrays.compareUnsigned(
                      x.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                      y.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
          assertEquals(expected, Integer.signum(new Actor(x, 1).compareTo(new Actor(y, 1))));
        });
  }

  private static String randomId(Random r, String[] alphabet) {
    StringBuilder sb = new StringBuilder();
    for (int i = 1 + r.nextInt(4); i > 0; i--) {
      sb.append(alphabet[r.nextInt(alphabet.length)]);
    }
    return sb.toString();
  }

  @Test
  void compareAgreesWithDescendsAndMergeOnRandomVectors() {
    Seeds.trials(
        "VersionVectorTest#compareAgreesWithDescendsAndMergeOnRandomVectors",
        2000,
        seed -> {
          Random r = new Random(seed);
          VersionVector x = Gen.vector(r, 3);
          VersionVector y = Gen.vector(r, 3);
          Occurred o = x.compare(y);
          assertEquals(o.reverse(), y.compare(x));
          boolean xy = x.descends(y);
          boolean yx = y.descends(x);
          Occurred expected =
              xy && yx
                  ? Occurred.EQUAL
                  : xy ? Occurred.AFTER : yx ? Occurred.BEFORE : Occurred.CONCURRENT;
          assertEquals(expected, o, x + " vs " + y);
          assertEquals(o == Occurred.EQUAL, x.equals(y));
          VersionVector m = x.merge(y);
          assertTrue(m.descends(x) && m.descends(y));
          for (Map.Entry<Actor, Long> e : m.entries().entrySet()) {
            assertEquals((long) e.getValue(), Math.max(x.get(e.getKey()), y.get(e.getKey())));
          }
        });
  }
}
