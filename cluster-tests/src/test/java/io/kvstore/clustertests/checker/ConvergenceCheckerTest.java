package io.kvstore.clustertests.checker;

import static io.kvstore.clustertests.checker.Hist.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {
  private static final RawSibling A = live("n1.1:1", "a");
  private static final RawSibling B = live("n2.1:1", "b");
  private static final List<String> NODES = List.of("n1", "n2", "n3");

  private final ConvergenceChecker c2 = new ConvergenceChecker(30_000_000_000L, Map.of());

  /** A partition healed at 1000 ms (+ setup), then a poll where n3 still lacks b. */
  private static Hist healedWithStragglerPoll() {
    Hist t = new Hist("c2");
    t.add("k", 1, Op.Type.OK);
    t.fault("partition", 1000);
    t.sleep(100);
    t.raw("k", "n1", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n2", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n3", "{n1.1=1}", A);
    return t;
  }

  private static void poll(Hist t, RawSibling... siblings) {
    for (String n : NODES) {
      t.raw("k", n, "{n1.1=1, n2.1=1}", siblings);
    }
  }

  @Test
  void replicasThatAgreeOnTwoPollsConverged() {
    Hist t = healedWithStragglerPoll();
    t.sleep(500);
    poll(t, B, A);
    long healed = t.h.faults().get(0).endNanos();
    long agreedAt = t.h.ops().get(t.h.ops().size() - 1).time();
    t.sleep(500);
    poll(t, A, B);
    CheckResult r = c2.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals((agreedAt - healed) / 1_000_000, r.count("convergenceMillis"));
    assertEquals(3, r.count("polls"));
    assertEquals(1, r.count("converged"));
  }

  @Test
  void divergingReplicasAtTheLastPollFail() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    t.raw("k", "n1", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n2", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n3", "{n1.1=1}", A);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed());
    assertEquals(-1, r.count("convergenceMillis"));
    assertTrue(r.anomalies().get(0).contains("disagree at the last poll"), r.anomalies().toString());
  }

  @Test
  void aSiblingDifferingOnlyInItsDotIsDivergence() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    t.raw("k", "n1", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n2", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n3", "{n1.1=1, n2.1=2}", A, live("n2.1:2", "b"));
    assertFalse(c2.check(t.h).passed());
  }

  @Test
  void agreementThatChangesOnTheSecondPollIsUnstable() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    poll(t, A);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("changed between the last two polls"), r.anomalies().toString());
  }

  @Test
  void agreementOnlyAtTheLastPollIsNotYetStable() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("no stable second poll"), r.anomalies().toString());
  }

  @Test
  void aFailedRawReadIsNotAgreement() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    t.raw("k", "n1", "{n1.1=1, n2.1=1}", A, B);
    t.raw("k", "n2", "{n1.1=1, n2.1=1}", A, B);
    t.rawFailed("k", "n3");
    assertFalse(c2.check(t.h).passed());
  }

  @Test
  void aSinglePollCannotShowStability() {
    Hist t = new Hist("c2");
    t.fault("partition", 10);
    poll(t, A);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("need 2"), r.anomalies().toString());
  }

  @Test
  void rawReadsBeforeTheHealDoNotCount() {
    Hist t = new Hist("c2");
    poll(t, A);
    t.fault("partition", 10);
    poll(t, A);
    assertFalse(c2.check(t.h).passed());
    poll(t, A);
    assertTrue(c2.check(t.h).passed());
  }

  @Test
  void pendingHintsFailAndAnEmptyQueueMapIsFine() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    poll(t, A, B);
    assertTrue(new ConvergenceChecker(0, Map.of("n1", 0, "n2", 0)).check(t.h).passed());
    CheckResult r = new ConvergenceChecker(0, Map.of("n1", 0, "n2", 3)).check(t.h);
    assertFalse(r.passed());
    assertEquals(3, r.count("hintsPending"));
    assertTrue(r.anomalies().get(0).contains("n2 still holds 3 hints"));
  }

  @Test
  void convergenceSlowerThanTheBoundFails() {
    Hist t = healedWithStragglerPoll();
    t.sleep(2000);
    poll(t, A, B);
    poll(t, A, B);
    assertTrue(new ConvergenceChecker(3_000_000_000L, Map.of()).check(t.h).passed());
    CheckResult r = new ConvergenceChecker(1_000_000_000L, Map.of()).check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("more than the bound"), r.anomalies().toString());
  }

  @Test
  void aGivenReplicaNeverReadFails() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    poll(t, A, B);
    ConvergenceChecker withReplicas = new ConvergenceChecker(-1, 0, Map.of(),
        Map.of("k", Set.of("n1", "n2", "n3", "n4")));
    CheckResult r = withReplicas.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("[n4] were never read"), r.anomalies().toString());
  }

  @Test
  void noRawReadsAtAllFails() {
    Hist t = new Hist("c2");
    t.add("k", 1, Op.Type.OK);
    assertFalse(c2.check(t.h).passed());
  }

  private static final RawSibling T = RawSibling.tombstone("n1.1:2");

  @Test
  void rawReadsAfterTheFirstFinalReadAreNotPolls() {
    Hist t = healedWithStragglerPoll();
    t.finalRead("k", "n1", "a", "b"); // R = N: repairs n3
    poll(t, A, B);
    poll(t, A, B);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed(), "convergence shown only after read repair must not count: " + r);
    assertEquals(6, r.count("rawReadsAfterFinalReads"));
    assertTrue(r.anomalies().get(0).contains("need 2"), r.anomalies().toString());
  }

  @Test
  void readsOfNodesThatAreNotReplicasAreIgnored() {
    Hist t = healedWithStragglerPoll();
    poll(t, A, B);
    t.raw("k", "n4", "{}"); // a fallback: holds nothing of the key
    poll(t, A, B);
    t.raw("k", "n4", "{}");
    ConvergenceChecker withReplicas = new ConvergenceChecker(-1, 0, Map.of(),
        Map.of("k", Set.of("n1", "n2", "n3")));
    CheckResult r = withReplicas.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(3, r.count("replicasRead"));
    assertFalse(c2.check(t.h).passed(), "without the replica map n4 counts and disagrees");
  }

  @Test
  void aReplicaThatPurgedItsTombstoneAgreesWithTombstonesStillHeld() {
    Hist t = new Hist("c2");
    t.fault("partition", 10);
    t.raw("k", "n1", "{n1.1=2}", T);
    t.raw("k", "n2", "{n1.1=2}", T);
    t.raw("k", "n3", "{}");
    long firstPollEnd = t.h.ops().getLast().time();
    t.raw("k", "n1", "{}");
    t.raw("k", "n2", "{n1.1=2}", T);
    t.raw("k", "n3", "{}");
    poll(t);
    CheckResult r = c2.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("purgingKeys"));
    assertEquals((firstPollEnd - t.h.faults().get(0).endNanos()) / 1_000_000,
        r.count("convergenceMillis"));
  }

  @Test
  void nothingHeldAgainstALiveSiblingOrAnotherTombstoneIsDivergence() {
    assertEquals(null, ConvergenceChecker.agreement(List.of(List.of(A), List.of())));
    assertEquals(null, ConvergenceChecker.agreement(List.of(List.of(A, T), List.of())));
    assertEquals(null, ConvergenceChecker.agreement(
        List.of(List.of(T), List.of(RawSibling.tombstone("n2.1:5")), List.of())));
    assertEquals(Set.of(T), ConvergenceChecker.agreement(List.of(List.of(T), List.of())));
    assertEquals(Set.of(), ConvergenceChecker.agreement(List.of(List.of(), List.of())));
    assertTrue(ConvergenceChecker.sameState(Set.of(T), Set.of()));
    assertFalse(ConvergenceChecker.sameState(Set.of(A), Set.of()));
    assertFalse(ConvergenceChecker.sameState(Set.of(T), Set.of(RawSibling.tombstone("n2.1:5"))));
  }

  @Test
  void aLiveValueThatVanishesBetweenPollsIsUnstable() {
    Hist t = healedWithStragglerPoll();
    poll(t, A);
    poll(t);
    CheckResult r = c2.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("changed between the last two polls"),
        r.anomalies().toString());
  }
}
