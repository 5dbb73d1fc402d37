package io.kvstore.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DESIGN.md section 5: membership merge is commutative, associative and idempotent, and never
 * makes an entry older; checked over seeded random views (each seed runs many trials).
 */
class MembershipViewPropertyTest {
  private static final int TRIALS = 50;

  /** One property over three random views; {@code msg} names the seed and trial. */
  private interface Property {
    void check(MembershipView a, MembershipView b, MembershipView c, String msg);
  }

  private static void forAll(long seed, Property property) {
    SplittableRandom rnd = new SplittableRandom(seed);
    for (int i = 0; i < TRIALS; i++) {
      MembershipView a = RandomViews.view(rnd);
      MembershipView b = RandomViews.view(rnd);
      MembershipView c = RandomViews.view(rnd);
      property.check(a, b, c, "seed " + seed + " trial " + i + ": " + a + " / " + b + " / " + c);
    }
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void mergeIsCommutative(long seed) {
    forAll(seed, (a, b, c, msg) -> assertEquals(a.merge(b), b.merge(a), msg));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void mergeIsAssociative(long seed) {
    forAll(seed, (a, b, c, msg) -> assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)), msg));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void mergeIsIdempotentAndEmptyIsItsIdentity(long seed) {
    forAll(seed, (a, b, c, msg) -> {
      assertSame(a, a.merge(a), msg + ": nothing newer, no copy");
      assertEquals(a.merge(b), a.merge(b).merge(b), msg);
      assertEquals(a, a.merge(MembershipView.empty()), msg);
      assertEquals(a, MembershipView.empty().merge(a), msg);
    });
  }

  /** The result holds every node of both sides, each entry at least as new as either side's. */
  @ParameterizedTest
  @MethodSource("seeds")
  void mergeNeverDecreasesAnEntry(long seed) {
    forAll(seed, (a, b, c, msg) -> {
      MembershipView m = a.merge(b);
      TreeSet<String> union = new TreeSet<>(a.entries().keySet());
      union.addAll(b.entries().keySet());
      assertEquals(union, m.entries().keySet(), msg);
      for (String id : union) {
        EndpointState merged = m.get(id);
        for (MembershipView side : new MembershipView[] {a, b}) {
          EndpointState theirs = side.get(id);
          assertFalse(theirs != null && theirs.supersedes(merged), msg + " at " + id);
        }
        assertTrue(merged.equals(a.get(id)) || merged.equals(b.get(id)), msg + " at " + id);
      }
    });
  }

  /** newerEntries is exactly what merge takes from the other side. */
  @ParameterizedTest
  @MethodSource("seeds")
  void newerEntriesAreWhatMergeTakes(long seed) {
    forAll(seed, (a, b, c, msg) -> {
      MembershipView m = a.merge(b);
      for (EndpointState e : a.newerEntries(b)) {
        assertEquals(e, m.get(e.nodeId()), msg);
      }
      long changed = m.entries().values().stream()
          .filter(e -> !e.equals(a.get(e.nodeId()))).count();
      assertEquals(changed, a.newerEntries(b).size(), msg);
    });
  }
}
