package io.kvstore.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.SyncPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration: YAML plus overrides; every bad setting fails at start-up, named. */
class ConfigLoaderTest {
  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, text);
    return f;
  }

  private static final String GOOD = """
      node_id: n2
      data_dir: /tmp/kv/n2
      cluster:
        members:
          - {id: n1, address: 127.0.0.1:7001}
          - {id: n2, address: 127.0.0.1:7002}
          - {id: n3, address: 127.0.0.1:7003}
      storage:
        sync: periodic:50
      """;

  @Test
  void readsYamlAppliesDefaultsAndOverrides() throws Exception {
    NodeConfig c = ConfigLoader.load(yaml(GOOD), List.of("cluster.r=1", "metrics_port=0"));
    assertEquals("n2", c.nodeId().id());
    assertEquals(7002, c.listen().port());
    assertEquals(3, c.n());
    assertEquals(1, c.r());
    assertEquals(2, c.w());
    assertEquals(0, c.metricsPort());
    assertEquals(SyncPolicy.Mode.PERIODIC, c.sync().mode());
    assertEquals(256, c.partitions());
    assertEquals(1024, c.maxKeyBytes());
  }

  @Test
  void hintAndHandoffSettingsHaveDefaultsAndOverrides() throws Exception {
    HintsConfig d = ConfigLoader.load(yaml(GOOD), List.of()).hints();
    assertEquals(HintsConfig.defaults(), d);
    assertEquals(java.time.Duration.ofHours(3), d.window());
    assertEquals(8L << 20, d.maxBytesPerSecond());
    HintsConfig h = ConfigLoader.load(yaml(GOOD), List.of("hints.window_ms=60000",
        "hints.segment_mb=2", "hints.index_mb=0", "handoff.sweep_interval_ms=500",
        "handoff.max_kb_per_second=256", "handoff.batch_hints=16")).hints();
    assertEquals(new HintsConfig(java.time.Duration.ofMinutes(1), 2L << 20, 0,
        java.time.Duration.ofMillis(500), 256L << 10, 16), h);
  }

  @Test
  void antiEntropySettingsHaveDefaultsAndOverrides() throws Exception {
    var d = ConfigLoader.load(yaml(GOOD), List.of()).antiEntropy();
    assertEquals(io.kvstore.node.config.AntiEntropyConfig.defaults(), d);
    assertEquals(java.time.Duration.ofDays(1), d.tombstoneGrace());
    var a = ConfigLoader.load(yaml(GOOD), List.of("antientropy.enabled=false",
        "antientropy.exchange_interval_ms=500", "antientropy.compare_pause_ms=0",
        "antientropy.rebuild_interval_ms=60000", "antientropy.rebuild_keys_per_second=7",
        "antientropy.max_keys_per_second=8", "antientropy.max_kb_per_second=9",
        "antientropy.tombstone_grace_ms=0")).antiEntropy();
    assertEquals(new io.kvstore.node.config.AntiEntropyConfig(false,
        java.time.Duration.ofMillis(500), java.time.Duration.ZERO, java.time.Duration.ofMinutes(1),
        7, 8, 9L << 10, java.time.Duration.ZERO), a);
  }

  @Test
  void tlsNeedsAllThreeFilesAndTokensNeedTls() throws Exception {
    assertEquals(SecurityConfig.PLAINTEXT, ConfigLoader.load(yaml(GOOD), List.of()).security());
    assertEquals(-1, ConfigLoader.load(yaml(GOOD), List.of()).healthPort());
    NodeConfig c = ConfigLoader.load(yaml(GOOD), List.of("tls.cert=/c.pem", "tls.key=/k.pem",
        "tls.ca=/ca.pem", "auth.tokens_file=/t", "health_port=9101"));
    assertEquals(new SecurityConfig(Path.of("/c.pem"), Path.of("/k.pem"), Path.of("/ca.pem"),
        Path.of("/t")), c.security());
    assertTrue(c.security().tls());
    assertEquals(9101, c.healthPort());
    ConfigException partial = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(GOOD), List.of("tls.cert=/c.pem", "tls.ca=/ca.pem")));
    assertTrue(partial.getMessage().contains("missing: [tls.key]"), partial.getMessage());
    ConfigException clear = assertThrows(ConfigException.class, () -> ConfigLoader.load(
        yaml(GOOD), List.of("auth.tokens_file=/t")));
    assertTrue(clear.getMessage().contains("clear text"), clear.getMessage());
  }

  @Test
  void everyBadSettingIsNamed() throws Exception {
    Path f = yaml(GOOD);
    bad(f, "cluster.n=4", "cluster.n must be between 1 and 3, got 4");
    bad(f, "cluster.w=0", "cluster.w must be between 1 and 3, got 0");
    bad(f, "cluster.r=two", "cluster.r must be an integer, got 'two'");
    bad(f, "cluster.partitions=100", "cluster.partitions must be a power of two");
    bad(f, "node_id=n9", "node_id n9 is not in cluster.members");
    bad(f, "storage.sync=sometimes", "storage.sync: unknown sync policy 'sometimes'");
    bad(f, "listen=localhost", "listen must be host:port");
    bad(f, "clustr.n=3", "unknown setting(s) [clustr.n]");
    bad(f, "cluster.members=n1@127.0.0.1:1,n1@127.0.0.1:2", "duplicate member id n1");
    bad(f, "limits.max_value_bytes=-5", "limits.max_value_bytes must be between 0");
    bad(f, "handoff.max_kb_per_second=0", "handoff.max_kb_per_second must be between 1");
    bad(f, "hints.window_ms=10", "hints.window_ms must be between 1000");
    bad(f, "antientropy.enabled=yes", "antientropy.enabled must be true or false, got 'yes'");
    bad(f, "antientropy.exchange_interval_ms=5", "antientropy.exchange_interval_ms must be between 100");
    bad(f, "antientropy.tombstone_grace_ms=-1", "antientropy.tombstone_grace_ms must be between 0");
  }

  @Test
  void missingRequiredSettingsAndBrokenFiles() throws Exception {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(yaml("node_id: n1\n"), List.of()));
    assertTrue(e.getMessage().contains("cluster.members is required"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> ConfigLoader.load(yaml("a: [unclosed"), List.of()));
    assertTrue(e.getMessage().contains("is not valid YAML"), e.getMessage());
    e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(dir.resolve("missing.yaml"), List.of()));
    assertTrue(e.getMessage().contains("cannot read config file"), e.getMessage());
  }

  private static void bad(Path f, String override, String message) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> ConfigLoader.load(f, List.of(override)), override);
    assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
  }
}
