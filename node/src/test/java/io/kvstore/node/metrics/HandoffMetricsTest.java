package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.handoff.HandoffSummary;
import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The handoff summary is exported as Prometheus series, taken afresh at each scrape. */
class HandoffMetricsTest {
  @Test
  void handoffSummaryIsExportedPerTargetAndInTotalAndFollowsEachScrape() {
    NodeMetrics metrics = new NodeMetrics("n1", Clock.system());
    AtomicReference<HandoffSummary> now = new AtomicReference<>(new HandoffSummary(
        List.of(new HandoffSummary.TargetQueue(NodeId.of("n2"), 12, 3400, 65_000, false),
            new HandoffSummary.TargetQueue(NodeId.of("n3"), 0, 0, 0, true)),
        100, 20_000, 7, 2, 1, 10_800_000, 12.5, 2500.0));
    metrics.bindHandoff(now::get);
    String text = metrics.scrape();
    assertEquals(List.of(), Scrape.missingLines(text, List.of(
        "kv_hints_queued{node=\"n1\",target=\"n2\"} 12.0",
        "kv_hints_queued_bytes{node=\"n1\",target=\"n2\"} 3400.0",
        "kv_hints_oldest_age_seconds{node=\"n1\",target=\"n2\"} 65.0",
        "kv_hints_needs_repair{node=\"n1\",target=\"n3\"} 1.0",
        "kv_hints_needs_repair{node=\"n1\",target=\"n2\"} 0.0",
        "kv_hints_delivered_total{node=\"n1\"} 100.0",
        "kv_hints_delivered_bytes_total{node=\"n1\"} 20000.0",
        "kv_hints_expired_total{node=\"n1\"} 7.0",
        "kv_hints_corrupt_total{node=\"n1\"} 2.0",
        "kv_hints_torn_total{node=\"n1\"} 1.0",
        "kv_hints_replay_hints_per_second{node=\"n1\"} 12.5",
        "kv_hints_replay_bytes_per_second{node=\"n1\"} 2500.0",
        "kv_hints_window_seconds{node=\"n1\"} 10800.0")), text);
    now.set(new HandoffSummary(List.of(), 112, 23_000, 7, 2, 1, 10_800_000, 0, 0));
    text = metrics.scrape();
    assertFalse(text.contains("target=\"n2\""), "a drained target's series go away");
    assertTrue(text.contains("kv_hints_delivered_total{node=\"n1\"} 112.0"), text);
  }
}
