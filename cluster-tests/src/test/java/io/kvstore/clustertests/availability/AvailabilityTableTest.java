package io.kvstore.clustertests.availability;

import static io.kvstore.clustertests.history.ClientKind.ALL_NODES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Op;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityTableTest {
  private static Availability pausedRun() {
    Traffic t = new Traffic().steady(600, 10);
    t.window("pause", x -> x.ops(ALL_NODES, 100, Op.Type.OK, 10)
        .ops(ALL_NODES, 4, Op.Type.INFO, 2000).idle(1000));
    t.steady(300, 10);
    return Availability.of(t.h);
  }

  @Test
  void theTableHasAHeadingALineARowAndTheWindowsSpelledOut() {
    List<String> lines = AvailabilityTable.text(pausedRun()).lines().toList();
    int heading = 0;
    while (!lines.get(heading).startsWith("stretch")) {
      heading++;
    }
    assertEquals(heading + 1 + 6 + 1, lines.size(), String.join("\n", lines));
    assertEquals(List.of("#0", "pause", "all-nodes", "10.0", "104", "100", "0", "4", "96.2%",
        "10.0", "50.0", "0.20", "10.0"), List.of(lines.get(heading + 1).trim().split(" +")));
    assertTrue(lines.get(heading + 2).startsWith(" ".repeat(18) + " pinned "),
        "the stretch is named once: " + lines.get(heading + 2));
    assertEquals(List.of("pinned", "10.0", "0", "0", "0", "0", "-", "0.0", "50.0", "0.00", "-"),
        List.of(lines.get(heading + 2).trim().split(" +")), "undefined figures are dashes");
    assertTrue(lines.get(heading + 3).startsWith("in faults "), lines.get(heading + 3));
    assertTrue(lines.get(heading + 5).startsWith("no fault "), lines.get(heading + 5));
    assertEquals("  #0 pause 12.0 s..22.0 s: test pause", lines.getLast());
  }

  @Test
  void theDigestIsOneLineWithBothClientKinds() {
    String d = AvailabilityTable.digest(pausedRun());
    assertFalse(d.contains("\n"));
    assertTrue(d.startsWith("availability traffic: all-nodes in faults 96.2% ok, 10.0 ok/s = 0.20x,"
        + " p99 10.0 ms; no fault 100.0% ok, 50.0 ok/s, p99 10.0 ms | pinned in faults - ok,"), d);
  }
}
