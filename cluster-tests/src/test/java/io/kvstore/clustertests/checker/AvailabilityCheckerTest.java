package io.kvstore.clustertests.checker;

import static io.kvstore.clustertests.history.ClientKind.ALL_NODES;
import static io.kvstore.clustertests.history.ClientKind.PINNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.availability.OpClass;
import io.kvstore.clustertests.availability.Traffic;
import io.kvstore.clustertests.history.Op;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AvailabilityCheckerTest {
  private static final Set<String> QUORUM_REACHABLE = Set.of("kill", "pause", "isolate-one");
  private final AvailabilityChecker checker = new AvailabilityChecker(QUORUM_REACHABLE, 0.99, 0.5);

  /** 12 s at 50 ok/s per client kind. */
  private static Traffic before(Traffic t) {
    return t.steady(600, 10);
  }

  @Test
  void aClientOfAllNodesThatGoesElsewherePassesWhileThePinnedOnesFail() {
    Traffic t = before(new Traffic());
    t.window("kill", x -> {
      for (int i = 0; i < 100; i++) { // the all-nodes client keeps its pace; n1's client is refused
        x.ops(ALL_NODES, 4, Op.Type.OK, 10).ops(PINNED, 1, Op.Type.FAIL, 60);
      }
    });
    t.steady(100, 10);
    CheckResult r = checker.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("windowsJudged"));
    assertEquals(1000, r.count("minSuccessPermille"));
    assertEquals(80, r.count("minThroughputPercent"), "400 oks in 10 s = 40/s against 50/s");
  }

  /** Negative control: what a paused node does to a client that waits out its deadline there. */
  @Test
  void aClientStuckOnAPausedNodeFailsBothFloors() {
    Traffic t = before(new Traffic());
    t.window("pause", x -> {
      for (int i = 0; i < 5; i++) { // round-robin: 4 quick oks, then 2 s on the paused node
        x.ops(ALL_NODES, 4, Op.Type.OK, 10).ops(ALL_NODES, 1, Op.Type.INFO, 1960);
      }
    });
    t.steady(100, 10);
    CheckResult r = checker.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("windowsBelowFloor"));
    assertEquals(800, r.count("minSuccessPermille"));
    assertEquals(4, r.count("minThroughputPercent"), "20 oks in 10 s = 2/s against 50/s");
    assertEquals(2, r.anomalies().size(), r.anomalies().toString());
    assertTrue(r.anomalies().get(0).contains("window #0 (pause: test pause)")
        && r.anomalies().get(0).contains("80.0%"), r.anomalies().get(0));
    assertTrue(r.anomalies().get(1).contains("0.04x"), r.anomalies().get(1));
    assertTrue(new AvailabilityChecker(QUORUM_REACHABLE, 0.8, 0.04).check(t.h).passed(),
        "the floors are the constructor's");
  }

  @Test
  void windowsWhereAQuorumMayBeUnreachableAreNotJudged() {
    Traffic t = before(new Traffic());
    t.window("partition-halves", x -> x.ops(ALL_NODES, 5, Op.Type.INFO, 2000));
    CheckResult r = checker.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(0, r.count("windowsJudged"));
    assertEquals(1, r.count("windowsNotJudged"));
    assertEquals(-1, r.count("minSuccessPermille"));
  }

  @Test
  void aClientThatInvokedNothingInTheWindowHadNoSuccess() {
    Traffic t = before(new Traffic());
    t.window("isolate-one", x -> x.ops(PINNED, 100, Op.Type.OK, 100));
    CheckResult r = checker.check(t.h);
    assertFalse(r.passed());
    assertEquals(0, r.count("minSuccessPermille"));
    assertEquals(0, r.count("minThroughputPercent"));
  }

  @Test
  void withoutABaselineOnlyTheShareIsJudged() {
    Traffic t = new Traffic().steady(100, 10); // 2 s: under the 10 s minimum
    t.window("kill", x -> x.ops(ALL_NODES, 5, Op.Type.OK, 1000));
    CheckResult r = checker.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(-1, r.count("minThroughputPercent"));
    assertTrue(r.notes().getFirst().contains("no throughput baseline"), r.notes().toString());
  }

  @Test
  void aHistoryWithoutAnAllNodesClientIsNotJudged() {
    Traffic t = new Traffic().ops(PINNED, 200, Op.Type.OK, 100);
    t.window("pause", x -> x.ops(PINNED, 5, Op.Type.INFO, 2000));
    CheckResult r = checker.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("windowsNotJudged"));
    assertTrue(r.notes().getFirst().contains("no operation of an all-nodes client"), r.notes().toString());
  }

  /**
   * With sloppy quorum writes must stay available where reads need not: a window with two
   * primaries down, reads refused and writes going through, passes the write floor and fails a
   * read floor over the same window; and the write floor counts writes only.
   */
  @Test
  void aFloorOnOneClassOfOperationsJudgesThoseOnly() {
    Traffic t = before(new Traffic());
    t.window("primaries-down", x -> {
      for (int i = 0; i < 100; i++) {
        x.ops(ALL_NODES, Op.F.ADD, 4, Op.Type.OK, 10).ops(ALL_NODES, Op.F.READ, 1, Op.Type.FAIL, 10);
      }
    });
    t.steady(100, 10);
    Set<String> down = Set.of("primaries-down");
    CheckResult writes = new AvailabilityChecker("availability writes", OpClass.WRITES, down,
        0.99, 0.5).check(t.h);
    assertTrue(writes.passed(), writes.toString());
    assertEquals("availability writes", writes.name());
    assertEquals(1000, writes.count("minSuccessPermille"), "400 adds, all ok; the reads not counted");
    CheckResult reads = new AvailabilityChecker("availability reads", OpClass.READS, down,
        0.98, 0.5).check(t.h);
    assertFalse(reads.passed());
    assertEquals(0, reads.count("minSuccessPermille"));
    assertTrue(reads.anomalies().getFirst().contains("the all-nodes client's reads succeeded 0.0%"),
        reads.anomalies().getFirst());
    CheckResult all = new AvailabilityChecker(down, 0.98, 0.5).check(t.h);
    assertFalse(all.passed(), "over all operations 80% succeeded: " + all);
    assertEquals(800, all.count("minSuccessPermille"));
  }

  @Test
  void theWriteFloorFailsAWindowWhereWritesWereRefused() {
    Traffic t = before(new Traffic());
    t.window("primaries-down", x -> {
      for (int i = 0; i < 50; i++) {
        x.ops(ALL_NODES, Op.F.WRITE, 1, Op.Type.FAIL, 10).ops(ALL_NODES, Op.F.READ, 1, Op.Type.OK, 10);
      }
    });
    CheckResult r = new AvailabilityChecker("availability writes", OpClass.WRITES,
        Set.of("primaries-down"), 0.99, 0.5).check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().getFirst().contains("writes succeeded 0.0% of the time (0 ok, 50 fail"),
        r.anomalies().getFirst());
  }

  @Test
  void floorsOutOfRangeAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new AvailabilityChecker(QUORUM_REACHABLE, 1.5, 0.5));
    assertThrows(IllegalArgumentException.class,
        () -> new AvailabilityChecker(QUORUM_REACHABLE, 0.9, -1));
    assertThrows(IllegalArgumentException.class,
        () -> new AvailabilityChecker(QUORUM_REACHABLE, Double.NaN, 0.5));
  }
}
