package io.kvstore.clustertests.checker;

import static io.kvstore.clustertests.checker.Hist.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import org.junit.jupiter.api.Test;

class ResurrectionCheckerTest {
  private final ResurrectionChecker c4 = new ResurrectionChecker();

  /** Writes a, reads it (context c1), deletes with c1; b is written concurrently and unseen. */
  private static Hist deleteRun() {
    Hist t = new Hist("c4");
    t.write("d", "a", null, 2, "wa");
    t.read("d", 2, "c1", "a");
    t.write("d", "b", null, 2, "wb");
    t.delete("d", "c1", 2);
    return t;
  }

  @Test
  void tombstonesAndConcurrentSurvivorsPass() {
    Hist t = deleteRun();
    t.raw("d", "n1", "{n1.1=3}", RawSibling.tombstone("n1.1:3"), live("n1.1:2", "b"));
    t.raw("d", "n2", "{n1.1=3}", RawSibling.tombstone("n1.1:3"), live("n1.1:2", "b"));
    t.finalRead("d", "n1", "b");
    CheckResult r = c4.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("deletesAcknowledged"));
    assertEquals(1, r.count("checkedValues"));
  }

  @Test
  void aCoveredValueLiveOnAReplicaIsResurrected() {
    Hist t = deleteRun();
    t.raw("d", "n1", "{n1.1=3}", RawSibling.tombstone("n1.1:3"));
    Op raw = t.raw("d", "n2", "{n1.1=3}", live("n1.1:1", "a"));
    CheckResult r = c4.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("resurrected"));
    String a = r.anomalies().get(0);
    assertTrue(a.contains("key d: value a") && a.contains("replica n2") && a.contains("#" + raw.index())
        && a.contains("delete #"), a);
  }

  @Test
  void aCoveredValueInAFinalReadIsResurrected() {
    Hist t = deleteRun();
    t.finalRead("d", "n3", "a", "b");
    assertFalse(c4.check(t.h).passed());
  }

  @Test
  void aValueReAddedAfterTheDeleteIsNotJudged() {
    Hist t = deleteRun();
    t.write("d", "a", null, 2, "wa2");
    t.raw("d", "n1", "{n1.1=4}", live("n1.1:4", "a"));
    CheckResult r = c4.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("excludedRewritten"));
    assertTrue(r.notes().get(0).contains("written 2 times"), r.notes().toString());
  }

  @Test
  void aDeleteWhoseContextNoReadReturnedIsNoted() {
    Hist t = new Hist("c4");
    t.write("d", "a", null, 2, "wa");
    t.delete("d", "mystery", 2);
    t.raw("d", "n1", "{n1.1=2}", live("n1.1:1", "a"));
    CheckResult r = c4.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("deletesWithoutSource"));
  }

  @Test
  void theWritesOwnResponseContextCoversItsValue() {
    Hist t = new Hist("c4");
    t.write("d", "a", null, 2, "wa");
    t.delete("d", "wa", 2);
    t.raw("d", "n1", "{n1.1=2}", live("n1.1:1", "a"));
    assertFalse(c4.check(t.h).passed());
  }

  @Test
  void aKeyPurgedOnEveryReplicaIsCountedAndPasses() {
    Hist t = new Hist("c4");
    t.write("d", "a", null, 2, "wa");
    t.read("d", 2, "c1", "a");
    t.delete("d", "c1", 2);
    t.raw("d", "n1", "{}");
    t.raw("d", "n2", "{}");
    t.finalRead("d", "n1");
    CheckResult r = c4.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("keysPurged"));
    assertEquals(1, r.count("checkedAfterPurge"));
  }

  @Test
  void aValueBackAfterThePurgeOfItsTombstoneIsResurrected() {
    Hist t = new Hist("c4");
    t.write("d", "a", null, 2, "wa");
    t.read("d", 2, "c1", "a");
    t.delete("d", "c1", 2);
    t.raw("d", "n1", "{}");
    t.raw("d", "n2", "{n1.1=1}", live("n1.1:1", "a")); // an old replica handed a back
    CheckResult r = c4.check(t.h);
    assertFalse(r.passed());
    assertEquals(0, r.count("keysPurged"));
    assertEquals(1, r.count("resurrected"));
  }
}
