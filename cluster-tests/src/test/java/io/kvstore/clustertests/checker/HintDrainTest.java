package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.checker.HintDrain.NodeHints;
import io.kvstore.clustertests.checker.HintDrain.Poll;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HintDrainTest {
  private static final long SECOND = 1_000_000_000L;
  private static final long BOUND = 60 * SECOND;

  private static NodeHints hints(String node, long incarnation, Map<String, Long> queued,
      long delivered) {
    return new NodeHints(node, incarnation, queued, delivered, 0, 0, 0);
  }

  private static NodeHints empty(String node, long delivered) {
    return hints(node, 1, Map.of(), delivered);
  }

  @Test
  void queuesThatEmptyWithinTheBoundPassWithTheirDrainTimeAndDeliveries() {
    Map<String, NodeHints> before = Map.of("n1", empty("n1", 100), "n2", empty("n2", 0));
    List<Poll> polls = List.of(
        new Poll(SECOND / 4, Map.of("n1", hints("n1", 1, Map.of("n3", 40L), 100),
            "n2", empty("n2", 0)), Map.of()),
        new Poll(1500 * 1_000_000L, Map.of("n1", hints("n1", 1, Map.of("n3", 0L), 140),
            "n2", empty("n2", 0)), Map.of()));
    CheckResult r = HintDrain.judge(before, polls, BOUND);
    assertTrue(r.passed(), r.toString());
    assertEquals(1500, r.count("drainMillis"), "a target listed with 0 hints is empty");
    assertEquals(40, r.count("queuedAtHeal"));
    assertEquals(40, r.count("n1.delivered"), "this scenario's share: 140 - 100");
    assertEquals(0, r.count("n2.delivered"));
    assertEquals(40, r.count("delivered"));
    assertEquals(0, r.count("n1.expired"));
    assertEquals(0, r.count("corrupt"));
  }

  @Test
  void aQueueThatDoesNotDrainFailsNamingNodesTargetsAndSizes() {
    List<Poll> polls = List.of(
        new Poll(SECOND, Map.of("n1", hints("n1", 1, Map.of("n3", 17L, "n4", 2L), 0),
            "n2", empty("n2", 0)), Map.of()),
        new Poll(61 * SECOND, Map.of("n1", hints("n1", 1, Map.of("n3", 12L, "n4", 2L), 5),
            "n2", empty("n2", 0)), Map.of("n5", "UNAVAILABLE: io exception")));
    CheckResult r = HintDrain.judge(Map.of(), polls, BOUND);
    assertFalse(r.passed());
    assertEquals(-1, r.count("drainMillis"));
    String a = r.anomalies().getFirst();
    assertTrue(a.contains("did not drain within 60.0 s") && a.contains("2 polls")
        && a.contains("n1 holds 14 hints (for n3: 12, for n4: 2)")
        && a.contains("n5 did not answer: UNAVAILABLE"), a);
    assertFalse(a.contains("n2"), "n2 holds nothing: " + a);
    assertEquals(5, r.count("n1.delivered"), "no baseline: counted from the node's start");
  }

  @Test
  void aPollWhereANodeDidNotAnswerIsNotDrained() {
    Poll p = new Poll(SECOND, Map.of("n1", empty("n1", 0)), Map.of("n2", "timeout"));
    assertFalse(p.drained());
    CheckResult r = HintDrain.judge(Map.of(), List.of(p), BOUND);
    assertFalse(r.passed());
    assertTrue(r.anomalies().getFirst().contains("n2 did not answer: timeout"), r.toString());
  }

  @Test
  void drainingOnlyAfterTheBoundFails() {
    Poll late = new Poll(61 * SECOND, Map.of("n1", empty("n1", 0)), Map.of());
    CheckResult r = HintDrain.judge(Map.of(), List.of(late), BOUND);
    assertFalse(r.passed());
    assertTrue(r.anomalies().getFirst().contains("drained only after the bound"), r.toString());
  }

  @Test
  void aRestartedNodesCountersCountFromItsRestart() {
    Map<String, NodeHints> before = Map.of("n1", new NodeHints("n1", 3, Map.of(), 500, 7, 1, 1));
    Poll p = new Poll(SECOND, Map.of("n1", new NodeHints("n1", 4, Map.of(), 20, 0, 2, 0)),
        Map.of());
    CheckResult r = HintDrain.judge(before, List.of(p), BOUND);
    assertTrue(r.passed(), r.toString());
    assertEquals(20, r.count("n1.delivered"));
    assertEquals(0, r.count("n1.expired"));
    assertEquals(2, r.count("n1.corrupt"));
    assertTrue(r.notes().getFirst().contains("n1 restarted during the scenario (incarnation 3 -> 4)"),
        r.notes().toString());
  }

  @Test
  void noPollAtAllFailsAndTheBoundMustBePositive() {
    assertFalse(HintDrain.judge(Map.of(), List.of(), BOUND).passed());
    assertThrows(IllegalArgumentException.class, () -> HintDrain.judge(Map.of(), List.of(), 0));
  }

  @Test
  void theSummaryLineShowsTheDrainTime() {
    Hist t = new Hist("kill");
    t.add("s", 1, io.kvstore.clustertests.history.Op.Type.OK);
    CheckResult drain = HintDrain.judge(Map.of(),
        List.of(new Poll(2300 * 1_000_000L, Map.of("n1", empty("n1", 0)), Map.of())), BOUND);
    String line = Summary.of("kill", t.h, List.of(drain)).line();
    assertTrue(line.contains(" hintDrain=2.3s ") && line.endsWith("hint-drain=PASS => PASS"), line);
  }
}
