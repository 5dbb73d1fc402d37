package io.kvstore.clustertests.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryHeader;
import io.kvstore.clustertests.history.ManualClock;
import io.kvstore.clustertests.history.Op;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutageDeletesTest {
  private final ManualClock clock = new ManualClock();
  private final History h =
      new History(new HistoryHeader(1, "kill", Instant.parse("2025-01-01T00:00:00Z")), clock);

  private void delete(String key, boolean ok) {
    Op inv = h.invoke(h.newProcess(), Op.F.DELETE, key, null, "n1", "ctx");
    clock.advanceMillis(10);
    if (ok) {
      h.ok(inv, Completion.NONE.withAcks(2));
    } else {
      h.fail(inv, "x");
    }
  }

  @Test
  void countsDeletesInsideAnOutageOfAReplicaAndThoseItOutlastedByTheGrace() {
    delete("a", true); // before any outage
    FaultWindow w = h.faultStarted("kill", "kill -9 n3");
    delete("a", true); // n3 is a replica of a; down 8 s more
    delete("b", true); // n3 is not a replica of b
    delete("a", false); // not acknowledged
    clock.advanceMillis(6_000);
    delete("a", true); // down 2 s more only
    clock.advanceMillis(2_000);
    h.faultEnded(w);
    CheckResult r = OutageDeletes.count(h, Map.of(w.id(), List.of(2)),
        Map.of("a", List.of(0, 1, 2), "b", List.of(0, 1, 3)), 5_000_000_000L);
    assertEquals(4, r.count("deletes"));
    assertEquals(2, r.count("deletesWithReplicaDown"));
    assertEquals(1, r.count("downPastGrace"));
    assertEquals(1, r.count("outages"));
  }
}
