package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.node.metrics.DashboardQueries.Selector;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboard check reads the metric names out of PromQL correctly: functions, aggregations,
 * grouping labels, matchers, ranges, numbers and Grafana variables are not metrics; every metric,
 * with or without matchers, is.
 */
class DashboardQueriesTest {
  @Test
  void findsTheMetricInsideFunctionsAggregationsAndRanges() {
    assertEquals(List.of(new Selector("kv_requests_seconds_bucket", Set.of("node"))),
        DashboardQueries.selectors("histogram_quantile(0.99, sum by (le, method) (rate("
            + "kv_requests_seconds_bucket{node=~\"$node\"}[$__rate_interval])))"));
  }

  @Test
  void findsEveryMetricOfABinaryExpressionWithTheLabelsItMatchesOn() {
    assertEquals(List.of(new Selector("a_total", Set.of("node", "code")),
            new Selector("b_bytes", Set.of()), new Selector("c", Set.of("level"))),
        DashboardQueries.selectors("sum without (x) (rate(a_total{node=~\"n{1}\", code!=\"OK\"}"
            + "[5m])) / on (node) b_bytes + ignoring(level) c {level=\"0\"} offset 1h"));
  }

  @Test
  void aBareMetricIsAMetric() {
    assertEquals(List.of(new Selector("kv_peer_up", Set.of())),
        DashboardQueries.selectors("kv_peer_up"));
  }
}
