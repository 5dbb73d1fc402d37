package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.checker.AntiEntropyStats.NodeAe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AntiEntropyStatsTest {
  @Test
  void aScenariosShareIsTheDifferenceUnlessTheNodeRestarted() {
    Map<String, NodeAe> before = Map.of(
        "n1", new NodeAe("n1", 7, 100, 1, 10, 2, 40, 500),
        "n2", new NodeAe("n2", 3, 50, 0, 5, 1, 9, 800));
    Map<String, NodeAe> after = Map.of(
        "n1", new NodeAe("n1", 7, 160, 3, 12, 3, 55, 2000),
        "n2", new NodeAe("n2", 4, 20, 0, 4, 1, 6, 1500)); // restarted: counts since its start
    CheckResult r = AntiEntropyStats.report(before, after, Map.of());
    assertTrue(r.passed());
    assertEquals(60 + 20, r.count("exchanges"));
    assertEquals(2, r.count("exchangeFailures"));
    assertEquals(2 + 4, r.count("keysRepaired"));
    assertEquals(15 + 6, r.count("tombstonesPurged"));
    assertEquals(15, r.count("n1.tombstonesPurged"));
    assertEquals(6, r.count("n2.tombstonesPurged"));
    assertEquals(2000, r.count("oldestFullExchangeAgeMillis"));
    assertTrue(r.notes().getFirst().contains("n2 restarted"), r.notes().toString());
  }

  @Test
  void aPartitionNeverExchangedLeavesTheAgeUnknownAndSilenceIsNoted() {
    Map<String, NodeAe> after = Map.of("n1", new NodeAe("n1", 1, 0, 0, 0, 0, 0, -1));
    CheckResult r = AntiEntropyStats.report(Map.of(), after, Map.of("n2", "UNAVAILABLE"));
    assertEquals(-1, r.count("oldestFullExchangeAgeMillis"));
    assertTrue(r.notes().contains("n2 did not answer at the end: UNAVAILABLE"), r.notes().toString());
  }

  @Test
  void theSummaryLineShowsThePurgesOfAReportedResult() {
    Hist t = new Hist("kill");
    t.add("k", 1, io.kvstore.clustertests.history.Op.Type.OK);
    CheckResult ae = AntiEntropyStats.report(Map.of(),
        Map.of("n1", new NodeAe("n1", 1, 5, 0, 0, 0, 42, 100)), Map.of());
    String line = Summary.of("kill", t.h, List.of(new SanityChecker(1).check(t.h)), List.of(ae))
        .line();
    assertTrue(line.contains(" purged=42 "), line);
    assertTrue(!line.contains("anti-entropy="), "a reported result has no verdict in the line: "
        + line);
  }
}
