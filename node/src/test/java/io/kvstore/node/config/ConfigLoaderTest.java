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
