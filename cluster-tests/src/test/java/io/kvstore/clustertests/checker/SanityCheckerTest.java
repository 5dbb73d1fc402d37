package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.Op;
import org.junit.jupiter.api.Test;

class SanityCheckerTest {
  @Test
  void enoughAcknowledgedOperationsAndHealedFaultsPass() {
    Hist t = new Hist("sanity");
    t.add("k", 1, Op.Type.OK);
    t.add("k", 2, Op.Type.OK);
    t.add("k", 3, Op.Type.FAIL);
    t.fault("partition", 10);
    t.finalRead("k", "n1", "1,2");
    CheckResult r = new SanityChecker(2).check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(3, r.count("clientOps"));
    assertEquals(2, r.count("acknowledged"));
  }

  @Test
  void tooFewAcknowledgedOperationsFail() {
    Hist t = new Hist("sanity");
    t.add("k", 1, Op.Type.OK);
    t.add("k", 2, Op.Type.INFO);
    t.finalRead("k", "n1", "1");
    CheckResult r = new SanityChecker(2).check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("only 1 of 2"), r.anomalies().toString());
  }

  @Test
  void everyKindOfWriteAttemptedNeedsItsOwnAcknowledgements() {
    Hist t = new Hist("sanity");
    for (int i = 0; i < 5; i++) {
      t.add("k", i, Op.Type.OK);
    }
    t.write("r", "v1", null, 2, "c1");
    t.op(Op.F.DELETE, "d", null, "n1", "c0", Op.Type.INFO, Completion.NONE.withError("timeout"));
    CheckResult enough = new SanityChecker(3, 1).check(t.h);
    assertFalse(enough.passed(), "no delete was acknowledged: " + enough);
    assertEquals(1, enough.anomalies().size(), enough.anomalies().toString());
    assertTrue(enough.anomalies().get(0).contains("only 0 of 1 delete"), enough.anomalies().toString());
    assertEquals(5, enough.count("acknowledged.add"));
    assertEquals(1, enough.count("acknowledged.write"));
    t.delete("d", "c1", 2);
    assertTrue(new SanityChecker(3, 1).check(t.h).passed());
    assertFalse(new SanityChecker(3, 2).check(t.h).passed(), "one write and one delete < 2");
  }

  @Test
  void aFaultNeverStoppedFails() {
    Hist t = new Hist("sanity");
    t.add("k", 1, Op.Type.OK);
    t.h.faultStarted("crash", "n3");
    CheckResult r = new SanityChecker(1).check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("faultsOpen"));
  }

  @Test
  void theNegativeControlMustHaveFailedC1WithLostWrites() {
    CheckResult lost = CheckResult.builder(LostWritesChecker.NAME).count("lost", 4)
        .anomaly("key k: lost").build();
    CheckResult clean = CheckResult.builder(LostWritesChecker.NAME).count("lost", 0).build();
    CheckResult unexpectedOnly = CheckResult.builder(LostWritesChecker.NAME).count("lost", 0)
        .anomaly("key k: unexpected").build();
    CheckResult other = CheckResult.builder(ConvergenceChecker.NAME).anomaly("x").build();
    assertTrue(SanityChecker.negativeControl(lost).passed());
    assertFalse(SanityChecker.negativeControl(clean).passed());
    assertFalse(SanityChecker.negativeControl(unexpectedOnly).passed());
    assertFalse(SanityChecker.negativeControl(other).passed());
  }
}
