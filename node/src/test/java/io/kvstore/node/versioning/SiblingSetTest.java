package io.kvstore.node.versioning;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Scenario tests of the operations in VERSIONING.md, one behaviour per test. */
class SiblingSetTest {
  private static final Actor A = new Actor("a", 1);
  private static final Actor B = new Actor("b", 1);
  private static final VersionVector BLIND = VersionVector.EMPTY;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> live(SiblingSet s) {
    return s.liveValues().stream().map(v -> new String(v, UTF_8)).sorted().toList();
  }

  @Test
  void twoWritesWithTheSameContextThroughTheSameCoordinatorGiveTwoSiblings() {
    SiblingSet s = SiblingSet.EMPTY.put(b("v0"), BLIND, A);
    VersionVector ctx = s.context();
    s = s.put(b("x"), ctx, A).put(b("y"), ctx, A);
    assertEquals(List.of("x", "y"), live(s));
    assertEquals(List.of(new Dot(A, 2), new Dot(A, 3)), s.siblings().stream().map(Sibling::dot).toList());
  }

  @Test
  void blindWriteNeverRemovesASibling() {
    SiblingSet s = SiblingSet.EMPTY.put(b("x"), BLIND, A).put(b("y"), BLIND, B);
    SiblingSet t = s.put(b("z"), BLIND, A);
    assertEquals(List.of("x", "y", "z"), live(t));
    Seeds.trials(
        "SiblingSetTest#blindWriteNeverRemovesASibling",
        300,
        seed -> {
          Random r = new Random(seed);
          for (SiblingSet st : Gen.reachable(r, 3, 1 + r.nextInt(30))) {
            SiblingSet after = st.put(Gen.bytes(r, 4), BLIND, Gen.actor(r));
            assertTrue(after.siblingMap().entrySet().containsAll(st.siblingMap().entrySet()));
            assertEquals(st.siblings().size() + 1, after.siblings().size());
          }
        });
  }

  @Test
  void writeWithTheMergedContextOfAllSiblingsLeavesExactlyOne() {
    SiblingSet ra = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    SiblingSet rb = SiblingSet.EMPTY.put(b("y"), BLIND, B).put(b("y2"), BLIND, B);
    SiblingSet merged = SiblingSet.sync(ra, rb);
    assertEquals(3, merged.siblings().size());
    SiblingSet resolved = ra.put(b("resolved"), merged.context(), A);
    assertEquals(List.of("resolved"), live(resolved));
    assertEquals(List.of("resolved"), live(SiblingSet.sync(resolved, rb)));
    assertEquals(Occurred.AFTER, resolved.compare(merged));
  }

  @Test
  void olderStateIsBeforeAndSyncReturnsTheNewer() {
    SiblingSet old = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    SiblingSet newer = old.put(b("y"), old.context(), B);
    assertEquals(Occurred.BEFORE, old.compare(newer));
    assertEquals(Occurred.AFTER, newer.compare(old));
    assertEquals(newer, SiblingSet.sync(old, newer));
    assertEquals(newer, SiblingSet.sync(newer, old));
    assertEquals(Occurred.BEFORE, SiblingSet.EMPTY.compare(old));
  }

  @Test
  void concurrentWritesCompareConcurrentAndSyncKeepsBoth() {
    SiblingSet base = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    SiblingSet viaA = base.put(b("a"), base.context(), A);
    SiblingSet viaB = base.put(b("b"), base.context(), B);
    assertEquals(Occurred.CONCURRENT, viaA.compare(viaB));
    assertEquals(List.of("a", "b"), live(SiblingSet.sync(viaA, viaB)));
    assertEquals(Occurred.EQUAL, viaA.compare(SiblingSet.decode(viaA.encode())));
  }

  @Test
  void deleteWithContextHidesTheValue() {
    SiblingSet s = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    SiblingSet d = s.delete(s.context(), B);
    assertTrue(d.isDeleted());
    assertFalse(d.isEmpty());
    assertEquals(List.of(), d.liveValues());
    assertEquals(1, d.siblings().size());
    assertTrue(d.siblings().get(0).tombstone());
    assertEquals(0, d.siblings().get(0).value().bytes().length);
    assertTrue(SiblingSet.sync(s, d).isDeleted());
  }

  @Test
  void staleContextWriteAfterDeleteBecomesASiblingOfTheTombstone() {
    SiblingSet s = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    VersionVector stale = s.context();
    SiblingSet d = s.delete(stale, A);
    SiblingSet w = d.put(b("late"), stale, B);
    assertEquals(List.of("late"), live(w));
    assertFalse(w.isDeleted());
    assertEquals(2, w.siblings().size());
    assertEquals(1, w.siblings().stream().filter(Sibling::tombstone).count());
  }

  @Test
  void blindDeleteKeepsTheValueVisible() {
    SiblingSet s = SiblingSet.EMPTY.put(b("x"), BLIND, A).delete(BLIND, B);
    assertEquals(List.of("x"), live(s));
    assertFalse(s.isDeleted());
  }

  @Test
  void emptyStateAndAccessors() {
    assertTrue(SiblingSet.EMPTY.isEmpty());
    assertFalse(SiblingSet.EMPTY.isDeleted());
    assertEquals(VersionVector.EMPTY, SiblingSet.EMPTY.context());
    SiblingSet s = SiblingSet.EMPTY.put(b("x"), BLIND, A);
    s.liveValues().get(0)[0] = 'Q';
    assertEquals(List.of("x"), live(s), "liveValues hands out copies");
    assertThrows(
        IllegalArgumentException.class,
        () -> SiblingSet.of(VersionVector.EMPTY, Map.of(new Dot(A, 1), Value.of(b("x")))));
  }

  @Test
  void siblingsComeInDotOrderWhateverTheWriteOrder() {
    SiblingSet x = SiblingSet.EMPTY.put(b("1"), BLIND, B).put(b("2"), BLIND, A);
    SiblingSet y = SiblingSet.EMPTY.put(b("2"), BLIND, A).put(b("1"), BLIND, B);
    assertEquals(x, y);
    assertEquals(x.siblings(), y.siblings());
    assertEquals(List.of(new Dot(A, 1), new Dot(B, 1)), x.siblings().stream().map(Sibling::dot).toList());
  }

  /**
   * Why actors carry incarnations (VERSIONING.md, KV679): a node that restarts with its last
   * local write lost and keeps its old actor reuses a dot, and sync silently drops one of two
   * acknowledged values; with a new incarnation both survive.
   */
  @Test
  void reusingAnActorAfterLosingLocalStateLosesAWriteANewIncarnationDoesNot() {
    SiblingSet durable = SiblingSet.EMPTY.put(b("v1"), BLIND, A);
    SiblingSet replicaB = durable.put(b("acked"), durable.context(), A); // A crashed before its own write
    SiblingSet reused = durable.put(b("other"), durable.context(), A);
    assertEquals(1, live(SiblingSet.sync(replicaB, reused)).size(), "the dot clash loses a value");
    SiblingSet fresh = durable.put(b("other"), durable.context(), new Actor("a", 2));
    assertEquals(List.of("acked", "other"), live(SiblingSet.sync(replicaB, fresh)));
  }
}
