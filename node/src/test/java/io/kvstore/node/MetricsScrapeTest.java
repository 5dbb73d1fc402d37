package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.bytes;
import static io.kvstore.node.ReplicatedStoreTest.get;
import static io.kvstore.node.ReplicatedStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.kvstore.node.metrics.DashboardQueries;
import io.kvstore.node.metrics.DashboardQueries.Selector;
import io.kvstore.node.metrics.Promtool;
import io.kvstore.node.metrics.Scrape;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics of real nodes, fetched over HTTP as Prometheus would, held against real tools and
 * the dashboard: {@code promtool check metrics} finds nothing to lint; every series the Grafana
 * dashboard ({@code deploy/grafana/kvstore-dashboard.json}) queries exists, with the labels it
 * matches on, and every query parses ({@code promtool check rules}); the dashboard imports as is;
 * and the storage and replication series move under real traffic. So neither the exposition
 * format nor the dashboard can drift from the code.
 *
 * <p>Four nodes (N=3, so every key has a fallback and a quarter of the writes are forwarded);
 * one is stopped before the last writes, so the others hold hints for it.
 */
class MetricsScrapeTest {
  private static final Path DASHBOARD = Path.of("..", "deploy", "grafana", "kvstore-dashboard.json");
  @TempDir static Path root;
  private static TestCluster cluster;
  /** Each running node's scrape, by node id. */
  private static final Map<String, String> scrapes = new LinkedHashMap<>();

  @BeforeAll
  static void runTrafficAndScrape() throws Exception {
    cluster = new TestCluster(root, 4, "metrics_port=0");
    String value = "x".repeat(4096);
    for (int k = 0; k < 600; k++) { // ~1.8 MiB per node: memtables (1 MiB) flush
      put(cluster, k % 4, bytes("m" + k), value, ByteString.EMPTY, 2);
    }
    for (int k = 0; k < 600; k += 3) {
      get(cluster, k % 4, bytes("m" + k), 2);
    }
    cluster.stop(3);
    for (int k = 0, hinted = 0; hinted < 20; k++) {
      List<Integer> replicas = cluster.replicas(bytes("h" + k));
      if (replicas.contains(3)) {
        // W=3: the fallback's acknowledgement counts, so the hint is stored when this returns.
        int coordinator = replicas.get(replicas.get(0) == 3 ? 1 : 0);
        put(cluster, coordinator, bytes("h" + k), "while n4 is down", ByteString.EMPTY, 3);
        hinted++;
      }
    }
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 3; i++) {
      Node node = cluster.node(i);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.metricsPort() + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      scrapes.put(node.config().nodeId().id(), r.body());
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void promtoolFindsNothingToLintInARealScrape() throws Exception {
    Promtool promtool = Promtool.require();
    for (Map.Entry<String, String> e : scrapes.entrySet()) {
      Promtool.Result r = promtool.run(e.getValue(), "check", "metrics");
      assertEquals(0, r.exit(), e.getKey() + ": " + r.output());
      assertEquals("", r.output().strip(), e.getKey() + "'s scrape has lint");
    }
  }

  @Test
  void everySeriesTheDashboardQueriesIsInTheScrapeWithTheLabelsItMatches() throws IOException {
    DashboardQueries dashboard = DashboardQueries.load(DASHBOARD);
    Scrape all = Scrape.parse(String.join("\n", scrapes.values()));
    List<Selector> selectors = new ArrayList<>();
    dashboard.expressions().forEach(e -> selectors.addAll(DashboardQueries.selectors(e)));
    Set<String> metrics = new HashSet<>();
    selectors.forEach(s -> metrics.add(s.metric()));
    assertTrue(metrics.size() >= 30, "the dashboard reads " + metrics);
    assertEquals(List.of(), missing(selectors, all));
    for (DashboardQueries.LabelValues v : dashboard.labelValues()) {
      assertEquals(List.of(), missing(List.of(new Selector(v.metric(), Set.of(v.label()))), all));
    }
    assertFalse(dashboard.labelValues().isEmpty(), "the node variable comes from label_values");
    // Negative control: the same check catches a renamed series and a label it does not carry.
    assertEquals(2, missing(DashboardQueries.selectors(
        "rate(kv_read_repair_total[5m]) + kv_peer_up{level=\"0\"}"), all).size());
  }

  @Test
  void everyDashboardQueryIsValidPromQl() throws Exception {
    Promtool promtool = Promtool.require();
    StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
    List<String> exprs = DashboardQueries.load(DASHBOARD).expressions();
    for (int i = 0; i < exprs.size(); i++) {
      String expr = exprs.get(i).replace("$__rate_interval", "5m").replace("$node", ".*");
      rules.append("  - record: dashboard_query_").append(i).append("\n    expr: ")
          .append(new com.google.gson.JsonPrimitive(expr)).append('\n');
    }
    Path file = root.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);
    Promtool.Result r = promtool.run("", "check", "rules", file.toString());
    assertEquals(0, r.exit(), r.output());
  }

  @Test
  void theDashboardImportsAsIs() throws IOException {
    DashboardQueries dashboard = DashboardQueries.load(DASHBOARD);
    JsonObject json = dashboard.json();
    assertEquals("kvstore-overview", json.get("uid").getAsString());
    assertEquals("kvstore", json.get("title").getAsString());
    Map<String, JsonObject> vars = new LinkedHashMap<>();
    json.getAsJsonObject("templating").getAsJsonArray("list")
        .forEach(v -> vars.put(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject()));
    assertEquals("datasource", vars.get("datasource").get("type").getAsString());
    assertEquals("prometheus", vars.get("datasource").get("query").getAsString());
    assertEquals("query", vars.get("node").get("type").getAsString());
    Set<Integer> ids = new HashSet<>();
    for (JsonObject p : dashboard.panels()) {
      assertTrue(ids.add(p.get("id").getAsInt()), "duplicate panel id " + p.get("id"));
      assertNotNull(p.get("gridPos"), p.get("title").getAsString());
      if (p.get("type").getAsString().equals("row")) {
        continue;
      }
      assertEquals("${datasource}", p.getAsJsonObject("datasource").get("uid").getAsString());
      for (JsonElement t : p.getAsJsonArray("targets")) {
        assertTrue(t.getAsJsonObject().get("expr").getAsString().contains("node=~\"$node\""),
            p.get("title") + ": every query follows the node variable");
      }
    }
  }

  @Test
  void storageAndReplicationSeriesMoveUnderRealTraffic() {
    Scrape all = Scrape.parse(String.join("\n", scrapes.values()));
    for (String moved : List.of("kv_storage_user_written_bytes_total",
        "kv_storage_flush_written_bytes_total", "kv_storage_flushes_total",
        "kv_storage_commitlog_sync_seconds_count", "kv_storage_commitlog_sync_seconds_sum",
        "kv_storage_block_cache_misses_total", "kv_storage_level_bytes",
        "kv_coordinator_forwards_sent_total", "kv_coordinator_forwards_received_total",
        "kv_hinted_writes_total", "kv_hints_queued")) {
      assertTrue(all.sum(moved) > 0, moved + " did not move");
    }
    assertEquals(0, all.sum("kv_storage_failed"));
  }

  /** Each selector whose metric has no sample, or lacks a label it matches on, as a message. */
  private static List<String> missing(List<Selector> selectors, Scrape scrape) {
    List<String> out = new ArrayList<>();
    for (Selector s : selectors) {
      if (!scrape.has(s.metric())) {
        out.add(s.metric() + " is in no scrape");
      } else if (!scrape.labels(s.metric()).containsAll(s.labels())) {
        out.add(s.metric() + " has labels " + scrape.labels(s.metric()) + ", not all of "
            + s.labels());
      }
    }
    return out;
  }
}
