package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The laws of VERSIONING.md "Merge" and "Order" over random states: both arbitrary valid states
 * (any clock, any covered dots) and states reachable through puts and syncs.
 */
class SyncLawsTest {
  private static final int TRIALS = 1500;

  private static SiblingSet[] three(Random r) {
    if (r.nextBoolean()) {
      return new SiblingSet[] {Gen.arbitrary(r), Gen.arbitrary(r), Gen.arbitrary(r)};
    }
    List<SiblingSet> s = Gen.reachable(r, 3, r.nextInt(25));
    return new SiblingSet[] {s.get(0), s.get(1), s.get(2)};
  }

  private static void forAll(String name, Function<SiblingSet[], String> law) {
    Seeds.trials(
        "SyncLawsTest#" + name,
        TRIALS,
        seed -> {
          String failure = law.apply(three(new Random(seed)));
          assertTrue(failure == null, failure);
        });
  }

  @Test
  void syncIsCommutative() {
    forAll(
        "syncIsCommutative",
        s -> eq(SiblingSet.sync(s[0], s[1]), SiblingSet.sync(s[1], s[0]), s));
  }

  @Test
  void syncIsAssociative() {
    forAll(
        "syncIsAssociative",
        s ->
            eq(
                SiblingSet.sync(SiblingSet.sync(s[0], s[1]), s[2]),
                SiblingSet.sync(s[0], SiblingSet.sync(s[1], s[2])),
                s));
  }

  @Test
  void syncIsIdempotent() {
    forAll(
        "syncIsIdempotent",
        s -> {
          SiblingSet ab = SiblingSet.sync(s[0], s[1]);
          String f = eq(SiblingSet.sync(ab, s[1]), ab, s);
          return f != null ? f : eq(SiblingSet.sync(s[0], ab), ab, s);
        });
  }

  @Test
  void syncOfAStateWithItselfIsThatState() {
    forAll("syncOfAStateWithItselfIsThatState", s -> eq(SiblingSet.sync(s[0], s[0]), s[0], s));
  }

  /** VERSIONING.md "Order": older means sync returns the newer; reachable states only. */
  @Test
  void olderStateSyncsToTheNewerAndMergeIsAnUpperBound() {
    Seeds.trials(
        "SyncLawsTest#olderStateSyncsToTheNewerAndMergeIsAnUpperBound",
        TRIALS,
        seed -> {
          Random r = new Random(seed);
          List<SiblingSet> s = Gen.reachable(r, 3, r.nextInt(25));
          SiblingSet a = s.get(0);
          SiblingSet b = s.get(1);
          SiblingSet m = SiblingSet.sync(a, b);
          switch (a.compare(b)) {
            case BEFORE -> assertEquals(b, m);
            case AFTER -> assertEquals(a, m);
            case EQUAL -> assertEquals(a, b);
            case CONCURRENT -> {
              assertEquals(Occurred.AFTER, m.compare(a));
              assertEquals(Occurred.AFTER, m.compare(b));
            }
          }
          assertEquals(a.compare(b).reverse(), b.compare(a));
        });
  }

  private static String eq(SiblingSet expected, SiblingSet actual, SiblingSet[] inputs) {
    if (expected.equals(actual)) {
      return null;
    }
    return "expected "
        + expected
        + "\n but got "
        + actual
        + "\n inputs: "
        + inputs[0]
        + "\n         "
        + inputs[1]
        + "\n         "
        + inputs[2];
  }
}
