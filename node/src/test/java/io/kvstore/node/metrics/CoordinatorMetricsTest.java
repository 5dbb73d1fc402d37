package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.coord.Retry;
import io.kvstore.node.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's events become series that exist at 0 from the start (so rates and the
 * dashboard work before the first event) and count each event once.
 */
class CoordinatorMetricsTest {
  @Test
  void eachCoordinatorEventMovesItsOwnSeries() {
    NodeMetrics metrics = new NodeMetrics("n1", Clock.system());
    String before = metrics.scrape();
    for (Retry r : Retry.values()) {
      assertTrue(before.contains(retries(r) + " 0.0"), retries(r) + " missing from\n" + before);
    }
    metrics.readRepair("n2");
    metrics.readRepair("n3");
    metrics.readRepairFailed("n3");
    metrics.readRepairDropped();
    metrics.retried(Retry.WRITE_SLOW);
    metrics.retried(Retry.READ_DIGEST_MISMATCH);
    metrics.retried(Retry.READ_DIGEST_MISMATCH);
    metrics.forwardSent("n2");
    metrics.forwardReceived();
    String text = metrics.scrape();
    assertEquals(List.of(), Scrape.missingLines(text, List.of(
        "kv_read_repairs_total{node=\"n1\"} 2.0",
        "kv_read_repairs_failed_total{node=\"n1\"} 1.0",
        "kv_read_repairs_dropped_total{node=\"n1\"} 1.0",
        retries(Retry.WRITE_SLOW) + " 1.0",
        retries(Retry.WRITE_FAILED) + " 0.0",
        retries(Retry.READ_DIGEST_MISMATCH) + " 2.0",
        "kv_coordinator_forwards_sent_total{node=\"n1\"} 1.0",
        "kv_coordinator_forwards_received_total{node=\"n1\"} 1.0")), text);
  }

  private static String retries(Retry r) {
    return "kv_coordinator_retries_total{node=\"n1\",op=\"" + r.op() + "\",reason=\"" + r.reason()
        + "\"}";
  }
}
