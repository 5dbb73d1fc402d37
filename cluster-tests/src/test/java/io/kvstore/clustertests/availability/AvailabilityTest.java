package io.kvstore.clustertests.availability;

import static io.kvstore.clustertests.history.ClientKind.ALL_NODES;
import static io.kvstore.clustertests.history.ClientKind.PINNED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.availability.AvailabilityRow.Scope;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.Op;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTest {
  private static final double EPS = 1e-9;

  /**
   * 12 s of both clients at 50 ok/s each, a 10 s pause in which the all-nodes client gets 100
   * quick oks and then 4 deadline-long infos and the pinned client only fails, then 6 s more.
   */
  @Test
  void aWindowIsComparedWithTheFaultFreeTimeBeforeItPerClientKind() {
    Traffic t = new Traffic().steady(600, 10);
    FaultWindow w = t.window("pause", x -> x.ops(ALL_NODES, 100, Op.Type.OK, 10)
        .ops(ALL_NODES, 4, Op.Type.INFO, 2000).ops(PINNED, 10, Op.Type.FAIL, 100));
    t.steady(300, 10);
    Availability a = Availability.of(t.h);

    AvailabilityRow all = a.row(Scope.WINDOW, w, ALL_NODES);
    assertEquals(10_000_000_000L, all.durationNanos());
    assertEquals(List.of(100L, 0L, 4L), List.of(all.ok(), all.fail(), all.info()));
    assertEquals(100.0 / 104, all.successShare(), EPS);
    assertEquals(10.0, all.okPerSecond(), EPS);
    assertEquals(50.0, all.baselineOkPerSecond(), EPS);
    assertEquals(0.2, all.throughputRatio(), EPS);
    assertEquals(10_000_000L, all.p99Nanos());

    AvailabilityRow pinned = a.row(Scope.WINDOW, w, PINNED);
    assertEquals(List.of(0L, 10L, 0L), List.of(pinned.ok(), pinned.fail(), pinned.info()));
    assertEquals(0.0, pinned.successShare(), EPS);
    assertEquals(-1, pinned.p99Nanos(), "no ok op, no p99");
    assertEquals(0.0, pinned.throughputRatio(), EPS);

    AvailabilityRow calm = a.row(Scope.NO_FAULT, null, ALL_NODES);
    assertEquals(18_000_000_000L, calm.durationNanos());
    assertEquals(900, calm.ok());
    assertEquals(50.0, calm.okPerSecond(), EPS);
    assertTrue(Double.isNaN(calm.throughputRatio()), "the fault-free time has no baseline");
    AvailabilityRow inFaults = a.row(Scope.IN_FAULTS, null, ALL_NODES);
    assertEquals(all.ops(), inFaults.ops());
    assertEquals(0.2, inFaults.throughputRatio(), EPS, "in faults against all fault-free time");
    assertEquals(6, a.rows().size(), "window, in faults, no fault; two client kinds each");
  }

  @Test
  void theBaselineIsTheFaultFreePartOfTheSpanBeforeAndNeedsTheMinimum() {
    Traffic t = new Traffic().steady(125, 20); // 5 s, 25 ok/s per kind
    FaultWindow first = t.window("kill", x -> x.ops(ALL_NODES, 50, Op.Type.OK, 100)); // 5 s
    t.steady(500, 10); // 10 s, 50 ok/s per kind
    FaultWindow second = t.window("kill", x -> x.ops(ALL_NODES, 10, Op.Type.OK, 100));
    Availability a = Availability.of(t.h);
    assertTrue(Double.isNaN(a.row(Scope.WINDOW, first, ALL_NODES).baselineOkPerSecond()),
        "5 s of fault-free time is under the 10 s minimum");
    assertEquals((125 + 500) / 15.0, a.row(Scope.WINDOW, second, ALL_NODES).baselineOkPerSecond(),
        EPS, "15 s fault-free before it; the first window's 50 oks do not count");

    Availability shortSpan = Availability.of(t.h, Duration.ofSeconds(6), Duration.ofSeconds(1));
    assertEquals(25.0, shortSpan.row(Scope.WINDOW, first, ALL_NODES).baselineOkPerSecond(), EPS);
    assertEquals(50.0, shortSpan.row(Scope.WINDOW, second, ALL_NODES).baselineOkPerSecond(), EPS,
        "only the 6 s before: all in the 50 ok/s stretch");
  }

  @Test
  void opsArePlacedByInvocationAndHarnessReadsDoNotCount() {
    Traffic t = new Traffic().steady(10, 10);
    Op hung = t.h.invoke(t.h.newProcess(), Op.F.READ, "k", null, ALL_NODES, null, null);
    t.idle(50);
    FaultWindow w = t.start("pause");
    t.idle(100);
    t.h.ok(hung, Completion.NONE.withValues(List.of()).withAcks(2)); // invoked before the fault
    t.h.invoke(t.h.newProcess(), Op.F.DELETE, "k", null, ALL_NODES, null, null); // never ends
    t.idle(100);
    Op fin = t.h.invoke(t.h.newProcess(), Op.F.FINAL_READ, "k", null, "n1", null);
    t.h.ok(fin, Completion.NONE.withValues(List.of()).withAcks(3));
    w = t.end(w);
    Availability a = Availability.of(t.h);
    AvailabilityRow in = a.row(Scope.WINDOW, w, ALL_NODES);
    assertEquals(List.of(0L, 0L, 1L), List.of(in.ok(), in.fail(), in.info()),
        "the op that never completed counts as info; the hung read belongs before the fault");
    assertEquals(11, a.row(Scope.NO_FAULT, null, ALL_NODES).ok());
    assertEquals(0, a.row(Scope.WINDOW, w, PINNED).ops(), "a final read is not a client op");
  }

  @Test
  void aWindowNeverHealedLastsToTheEndOfTheClientOps() {
    Traffic t = new Traffic().steady(600, 10);
    t.start("isolate-one");
    t.steady(100, 10);
    Availability a = Availability.of(t.h);
    AvailabilityRow open = a.row(Scope.WINDOW, a.windows().getFirst(), PINNED);
    assertEquals(2_000_000_000L, open.durationNanos());
    assertEquals(1.0, open.throughputRatio(), EPS);
  }

  @Test
  void p99IsTheNearestRank() {
    long[] hundred = new long[100];
    for (int i = 0; i < 100; i++) {
      hundred[i] = 100 - i;
    }
    assertEquals(99, Availability.p99(hundred));
    assertEquals(7, Availability.p99(new long[] {7}));
    long[] thousand = new long[1000];
    for (int i = 0; i < 1000; i++) {
      thousand[i] = i + 1;
    }
    assertEquals(990, Availability.p99(thousand));
    assertEquals(-1, Availability.p99(new long[0]));
  }

  @Test
  void aRunWithoutFaultsHasOnlyTheFaultFreeRowsFilled() {
    Availability a = Availability.of(new Traffic().steady(100, 10).h);
    assertEquals(4, a.rows().size());
    AvailabilityRow in = a.row(Scope.IN_FAULTS, null, ALL_NODES);
    assertEquals(0, in.ops());
    assertTrue(Double.isNaN(in.successShare()) && Double.isNaN(in.okPerSecond()));
    assertEquals(1.0, a.row(Scope.NO_FAULT, null, PINNED).successShare(), EPS);
  }
}
