package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dynamo 4.5: with R + W > N the read and write quorums overlap, so no stale read. */
class ReadAfterWriteCheckerTest {
  private final ReadAfterWriteChecker c3 = new ReadAfterWriteChecker(3);

  @Test
  void aReadHoldingTheAddedElementPasses() {
    Hist t = new Hist("c3");
    t.add("s", 7, Op.Type.OK);
    t.read("s", 2, "c1", "1,7", "3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("pairsChecked"));
  }

  @Test
  void aStaleReadAfterAnAcknowledgedAddWithOverlappingQuorumsFails() {
    Hist t = new Hist("c3");
    Op add = t.add("s", 7, Op.Type.OK);
    Op read = t.read("s", 2, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("staleReads"));
    String a = r.anomalies().get(0);
    assertTrue(a.contains("key s") && a.contains("lacks element 7") && a.contains("#" + add.index())
        && a.contains("#" + read.index()) && a.contains("N=3"), a);
  }

  @Test
  void aStaleReadIsAllowedWhenQuorumsNeedNotOverlap() {
    Hist t = new Hist("c3");
    t.add("s", 7, Op.Type.OK);
    t.read("s", 1, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("pairsNotOverlapping"));
  }

  @Test
  void aStaleReadIsAllowedAfterASloppyWriteAndCountedApart() {
    Hist t = new Hist("c3");
    Op add = t.op(Op.F.ADD, "s", "7", "n1", null, Op.Type.OK,
        Completion.NONE.withAcks(1).withSloppyAcks(1));
    t.op(Op.F.ADD, "s", "8", "n1", null, Op.Type.OK, Completion.NONE);
    Op read = t.read("s", 2, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("skippedUnknownAcks"), "the add with unknown acks");
    assertEquals(1, r.count("sloppyWrites"));
    assertEquals(1, r.count("sloppyPairsChecked"), "1 primary + 1 fallback ack, R=2: overlapping");
    assertEquals(1, r.count("sloppyStaleReads"));
    assertEquals(0, r.count("staleReads"));
    String note = r.notes().getFirst();
    assertTrue(note.contains("sloppy stale read, allowed: key s") && note.contains("#" + add.index())
        && note.contains("#" + read.index()) && note.contains("W=1 primary + 1 fallback")
        && note.contains("lacks element 7"), note);
  }

  @Test
  void aStaleSloppyReadAfterAStrictWriteIsAllowedAndCountedApart() {
    Hist t = new Hist("c3");
    t.add("s", 7, Op.Type.OK);
    t.op(Op.F.READ, "s", null, "n2", null, Op.Type.OK, Completion.NONE
        .withValues(List.of("1,3")).withContext("c1").withAcks(1).withSloppyAcks(1));
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("sloppyReads"));
    assertEquals(1, r.count("sloppyStaleReads"));
  }

  @Test
  void aStrictStaleReadStillFailsBesideSloppyOnes() {
    Hist t = new Hist("c3");
    t.op(Op.F.ADD, "s", "6", "n1", null, Op.Type.OK, Completion.NONE.withAcks(1).withSloppyAcks(1));
    Op strict = t.add("s", 7, Op.Type.OK);
    t.read("s", 2, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertFalse(r.passed(), "a stale read after a strict write is a violation: " + r);
    assertEquals(1, r.count("staleReads"));
    assertEquals(1, r.count("sloppyStaleReads"));
    assertEquals(1, r.anomalies().size(), r.anomalies().toString());
    assertTrue(r.anomalies().getFirst().contains("#" + strict.index())
        && r.anomalies().getFirst().contains("lacks element 7"), r.anomalies().getFirst());
  }

  @Test
  void aSloppyPairWhoseQuorumsNeedNotOverlapIsNotCounted() {
    Hist t = new Hist("c3");
    t.op(Op.F.ADD, "s", "7", "n1", null, Op.Type.OK, Completion.NONE.withAcks(0).withSloppyAcks(1));
    t.read("s", 2, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("pairsNotOverlapping"), "W=1 (a fallback) + R=2 <= N=3");
    assertEquals(0, r.count("sloppyStaleReads"));
  }

  @Test
  void sloppyStaleReadsAreListedUpToALimitAndAllCounted() {
    Hist t = new Hist("c3");
    t.op(Op.F.ADD, "s", "7", "n1", null, Op.Type.OK, Completion.NONE.withAcks(1).withSloppyAcks(1));
    int reads = ReadAfterWriteChecker.MAX_SLOPPY_NOTES + 5;
    for (int i = 0; i < reads; i++) {
      t.read("s", 2, "c1", "1,3");
    }
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(reads, r.count("sloppyStaleReads"));
    assertEquals(ReadAfterWriteChecker.MAX_SLOPPY_NOTES + 1, r.notes().size());
    assertTrue(r.notes().getLast().contains("5 more sloppy stale reads"), r.notes().getLast());
  }

  @Test
  void aReadStaleAgainstTwoSloppyWritesIsOneSloppyStaleReadOfTwoPairs() {
    Hist t = new Hist("c3");
    t.op(Op.F.ADD, "s", "7", "n1", null, Op.Type.OK, Completion.NONE.withAcks(1).withSloppyAcks(1));
    t.op(Op.F.ADD, "s", "8", "n1", null, Op.Type.OK, Completion.NONE.withAcks(1).withSloppyAcks(1));
    t.read("s", 2, "c1", "1,3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(2, r.count("sloppyStalePairs"));
    assertEquals(1, r.count("sloppyStaleReads"));
  }

  @Test
  void theSummaryReportsSloppyStaleReadsApart() {
    Hist t = new Hist("c3");
    t.op(Op.F.ADD, "s", "7", "n1", null, Op.Type.OK, Completion.NONE.withAcks(1).withSloppyAcks(1));
    t.read("s", 2, "c1", "1,3");
    t.read("s", 2, "c1", "1,3");
    List<CheckResult> results = List.of(c3.check(t.h));
    String line = Summary.of("primaries-down", t.h, results).line();
    assertTrue(line.contains(" sloppyStaleReads=2 ") && line.endsWith("C3=PASS => PASS"), line);
    String text = Report.text("primaries-down", t.h, results, List.of());
    assertTrue(text.lines().anyMatch(l -> l.startsWith("sloppy stale reads: 2 ")), text);
  }

  @Test
  void aReadConcurrentWithTheWriteMayMissIt() {
    Hist t = new Hist("c3");
    Op inv = t.begin(Op.F.ADD, "s", "7", "n1", null);
    t.read("s", 2, "c1", "1");
    t.end(inv, Op.Type.OK, Completion.NONE.withAcks(2));
    assertTrue(c3.check(t.h).passed());
  }

  @Test
  void aRegisterReadMayHoldACausalSuccessorInstead() {
    Hist t = new Hist("c3");
    t.write("r", "v1", null, 2, "w1");
    t.op(Op.F.READ, "r", null, "n3", null, Op.Type.OK,
        Completion.NONE.withValues(List.of("v1")).withContext("c1").withAcks(1));
    t.write("r", "v2", "c1", 2, "w2");
    t.write("r", "v3", "w2", 2, "w3");
    t.read("r", 2, "c3", "v3");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
  }

  @Test
  void aRegisterReadHoldingOnlyAConcurrentValueIsStale() {
    Hist t = new Hist("c3");
    t.write("r", "v1", null, 2, "w1");
    t.write("r", "v9", null, 2, "w9");
    t.read("r", 2, "c9", "v9");
    CheckResult r = c3.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("holds neither v1"), r.anomalies().toString());
  }

  @Test
  void aDeletedRegisterMayReadEmpty() {
    Hist t = new Hist("c3");
    t.write("r", "v1", null, 2, "w1");
    t.read("r", 2, "c1", "v1");
    t.delete("r", "c1", 2);
    t.read("r", 2, "c2");
    CheckResult r = c3.check(t.h);
    assertTrue(r.passed(), r.toString());
  }

  @Test
  void aReadAfterAnAcknowledgedDeleteMustNotHoldWhatItCovered() {
    Hist t = new Hist("c3");
    t.write("r", "v1", null, 2, "w1");
    t.read("r", 2, "c1", "v1");
    t.delete("r", "c1", 2);
    t.read("r", 2, "c2", "v1");
    CheckResult r = c3.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("still holds deleted values [v1]"), r.anomalies().toString());
  }
}
