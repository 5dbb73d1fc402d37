package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * FORMAT.md "Sibling set digest": equal sets have equal digests however they were built (the
 * encoding is canonical), different sets different ones, and the empty set's digest is the one
 * the document gives.
 */
class DigestTest {
  @Test
  void equalSetsHaveEqualDigestsWhateverTheOrderOfMerges() {
    Seeds.trials("DigestTest#equalSetsHaveEqualDigestsWhateverTheOrderOfMerges", 1000, seed -> {
      Random r = new Random(seed);
      List<SiblingSet> states = new ArrayList<>(Gen.reachable(r, 4, r.nextInt(30)));
      SiblingSet forward = SiblingSet.EMPTY;
      for (SiblingSet s : states) {
        forward = SiblingSet.sync(forward, s);
      }
      Collections.shuffle(states, r);
      SiblingSet shuffled = SiblingSet.sync(SiblingSet.sync(states.get(0), states.get(1)),
          SiblingSet.sync(states.get(2), states.get(3)));
      assertEquals(forward, shuffled);
      assertEquals(Digest.of(forward), Digest.of(shuffled));
      assertEquals(Digest.of(forward), Digest.of(SiblingSet.decode(forward.encode())));
      assertEquals(Digest.of(forward), Digest.of(rebuiltInReverse(forward)));
    });
  }

  /** The same set built from its parts, siblings handed over in descending dot order. */
  private static SiblingSet rebuiltInReverse(SiblingSet s) {
    Map<Dot, Value> siblings = new LinkedHashMap<>();
    s.siblingMap().descendingMap().forEach(siblings::put);
    return SiblingSet.of(VersionVector.of(s.context().entries().descendingMap()), siblings);
  }

  @Test
  void differentSetsHaveDifferentDigests() {
    Seeds.trials("DigestTest#differentSetsHaveDifferentDigests", 1000, seed -> {
      Random r = new Random(seed);
      SiblingSet a = Gen.arbitrary(r);
      SiblingSet b = Gen.arbitrary(r);
      if (!a.equals(b)) {
        assertNotEquals(Digest.of(a), Digest.of(b), a + " vs " + b);
      }
    });
    // A tombstone's delete time is part of the state: a replica with another one is not equal.
    Actor x = new Actor("x", 1);
    SiblingSet one = SiblingSet.EMPTY.put(Value.tombstone(1), VersionVector.EMPTY, x);
    SiblingSet two = SiblingSet.EMPTY.put(Value.tombstone(2), VersionVector.EMPTY, x);
    assertNotEquals(Digest.of(one), Digest.of(two));
  }

  /** FORMAT.md: the digest of the empty set (what a replica without the key answers). */
  @Test
  void theEmptySetsDigestIsTheDocumentedOne() {
    assertEquals("cefee04ec0db25926383002b5f8738a6",
        Digest.of(SiblingSet.EMPTY).hash().toString());
  }

  @Test
  void aDigestIsSixteenBytesAndRoundTrips() {
    Digest d = Digest.of(SiblingSet.EMPTY);
    assertEquals(Digest.BYTES, d.toBytes().length);
    assertEquals(d, Digest.fromBytes(d.toBytes()));
    assertArrayEquals(d.toBytes(), Digest.fromBytes(d.toBytes()).toBytes());
    assertThrows(MalformedVersionException.class, () -> Digest.fromBytes(new byte[0]));
    assertThrows(MalformedVersionException.class, () -> Digest.fromBytes(new byte[32]));
    assertThrows(MalformedVersionException.class, () -> Digest.fromBytes(null));
  }
}
