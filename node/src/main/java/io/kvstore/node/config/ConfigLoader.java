package io.kvstore.node.config;

import io.kvstore.gossip.GossipConfig;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads a node's YAML configuration, applies {@code key=value} overrides (dotted paths, e.g.
 * {@code cluster.n=3}), and validates every setting, failing with a message that names it.
 * Unknown settings are errors (a typo must not silently fall back to a default).
 *
 * <pre>
 * node_id: n1                      # required; must be one of cluster.members
 * listen: 127.0.0.1:7001           # default: this member's address
 * metrics_port: 9001               # default -1 (off); 0 = any free port
 * health_port: 9101                # default -1 (off): plaintext gRPC health service only (probes)
 * data_dir: /var/lib/kvstore/n1    # required
 * cluster:
 *   partitions: 256                # Q, power of two; fixed at cluster creation
 *   n: 3                           # replicas per key (<= number of members)
 *   r: 2                           # default read quorum
 *   w: 2                           # default write quorum
 *   members:
 *     - {id: n1, address: 127.0.0.1:7001}
 * storage:
 *   sync: group                    # group | none | periodic:MILLIS
 *   memtable_mb: 32
 *   block_cache_mb: 64
 * limits:
 *   max_key_bytes: 1024
 *   max_value_bytes: 1048576
 *   warn_siblings: 25
 *   max_siblings: 100
 *   max_inflight_requests: 1024    # beyond this, RESOURCE_EXHAUSTED
 * timeouts:
 *   request_ms: 5000               # used when a client sends no deadline
 *   replica_min_ms: 250            # per-replica timeout: 3 x recent p99 of replica replies,
 *   replica_max_ms: 1000           #   clamped to [min, max]; a replica slower than it is routed around
 * gossip:
 *   interval_ms: 1000              # ping every peer and gossip once per interval
 *   phi_threshold: 8               # phi-accrual conviction threshold
 *   acceptable_pause_ms: 3000      # heartbeat gap tolerated on top of the mean interval
 *   min_std_dev_ms: 100            # floor of the inter-arrival standard deviation
 * hints:
 *   window_ms: 10800000            # hints older than this (3 h) are dropped; target needs repair
 *   segment_mb: 8                  # a target's hint segment rolls at this size
 *   index_mb: 64                   # memory to answer reads from hints (beyond: stored, not read)
 * handoff:
 *   sweep_interval_ms: 10000       # look for deliverable and expired hints (also on peer up)
 *   max_kb_per_second: 8192        # replay rate cap over all targets
 *   batch_hints: 128               # hints per delivered batch (one checkpoint each)
 * antientropy:
 *   enabled: true                  # false: only kv repair runs exchanges (and purge)
 *   exchange_interval_ms: 60000    # exchange with each co-replica about this often
 *   compare_pause_ms: 1000         # pause between the two comparisons of an exchange
 *   rebuild_interval_ms: 604800000 # rebuild each tree from storage about weekly
 *   rebuild_keys_per_second: 50000 # rebuild scan rate cap
 *   max_keys_per_second: 10000     # keys exchanged per second, cap
 *   max_kb_per_second: 8192        # exchange bytes per second, cap
 *   tombstone_grace_ms: 86400000   # a tombstone is purged no earlier than 1 day after its delete
 * tls:                             # absent: plaintext, nobody authenticated (development only)
 *   cert: /etc/kvstore/tls/tls.crt # PEM certificate (chain) of this node, for clients and peers
 *   key: /etc/kvstore/tls/tls.key  # PEM PKCS#8 private key
 *   ca: /etc/kvstore/tls/ca.crt    # PEM cluster CA: node certificates chain to it
 * auth:
 *   tokens_file: /etc/kvstore/auth/tokens  # client bearer tokens, "NAME ROLE sha256:HEX" lines;
 *                                  #   absent: clients need no token; needs tls
 * </pre>
 *
 * Stateless.
 */
public final class ConfigLoader {
  private static final Set<String> KNOWN =
      Set.of(
          "node_id", "listen", "metrics_port", "health_port", "data_dir",
          "cluster.partitions", "cluster.n", "cluster.r", "cluster.w", "cluster.members",
          "storage.sync", "storage.memtable_mb", "storage.block_cache_mb",
          "limits.max_key_bytes", "limits.max_value_bytes", "limits.warn_siblings",
          "limits.max_siblings", "limits.max_inflight_requests", "timeouts.request_ms",
          "timeouts.replica_min_ms", "timeouts.replica_max_ms", "gossip.interval_ms",
          "gossip.phi_threshold", "gossip.acceptable_pause_ms", "gossip.min_std_dev_ms",
          "hints.window_ms", "hints.segment_mb", "hints.index_mb", "handoff.sweep_interval_ms",
          "handoff.max_kb_per_second", "handoff.batch_hints", "antientropy.enabled",
          "antientropy.exchange_interval_ms", "antientropy.compare_pause_ms",
          "antientropy.rebuild_interval_ms", "antientropy.rebuild_keys_per_second",
          "antientropy.max_keys_per_second", "antientropy.max_kb_per_second",
          "antientropy.tombstone_grace_ms", "tls.cert", "tls.key", "tls.ca", "auth.tokens_file");

  private ConfigLoader() {}

  /** Loads {@code file} (may be null: overrides only) and applies {@code overrides}. */
  public static NodeConfig load(Path file, List<String> overrides) {
    Map<String, Object> flat = new LinkedHashMap<>();
    if (file != null) {
      flatten("", readYaml(file), flat);
    }
    for (String o : overrides) {
      int eq = o.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("override '" + o + "' must be key=value");
      }
      String key = o.substring(0, eq).trim();
      String value = o.substring(eq + 1).trim();
      flat.put(key, key.equals("cluster.members") ? parseMembersOverride(value) : value);
    }
    return build(flat);
  }

  private static Map<String, Object> readYaml(Path file) {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
      if (doc == null) {
        return Map.of();
      }
      if (!(doc instanceof Map<?, ?> m)) {
        throw new ConfigException(file + ": the top level must be a mapping of settings");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) m;
      return map;
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
    } catch (org.yaml.snakeyaml.error.YAMLException e) {
      throw new ConfigException(file + " is not valid YAML: " + e.getMessage());
    }
  }

  private static void flatten(String prefix, Map<?, ?> map, Map<String, Object> out) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> sub && !key.equals("cluster.members")) {
        flatten(key + ".", sub, out);
      } else {
        out.put(key, e.getValue());
      }
    }
  }

  /** {@code n1@127.0.0.1:7001,n2@127.0.0.1:7002} */
  private static List<Object> parseMembersOverride(String value) {
    List<Object> out = new ArrayList<>();
    for (String part : value.split(",")) {
      int at = part.indexOf('@');
      if (at <= 0) {
        throw new ConfigException("cluster.members override must be id@host:port,..., got '"
            + part + "'");
      }
      out.add(Map.of("id", part.substring(0, at).trim(), "address", part.substring(at + 1).trim()));
    }
    return out;
  }

  private static NodeConfig build(Map<String, Object> s) {
    Set<String> unknown = new HashSet<>(s.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new ConfigException("unknown setting(s) " + unknown.stream().sorted().toList()
          + "; known: " + KNOWN.stream().sorted().toList());
    }
    NodeId self = nodeId("node_id", required(s, "node_id"));
    List<MemberConfig> members = members(s.get("cluster.members"));
    MemberConfig me =
        members.stream()
            .filter(m -> m.id().equals(self))
            .findFirst()
            .orElseThrow(() -> new ConfigException("node_id " + self.id()
                + " is not in cluster.members " + members.stream().map(m -> m.id().id()).toList()));
    HostPort listen =
        s.containsKey("listen") ? HostPort.parse("listen", str(s.get("listen"))) : me.address();
    int n = integer(s, "cluster.n", 3, 1, members.size());
    int r = integer(s, "cluster.r", Math.min(2, n), 1, n);
    int w = integer(s, "cluster.w", Math.min(2, n), 1, n);
    int partitions = integer(s, "cluster.partitions", 256, 1, 65536);
    if (Integer.bitCount(partitions) != 1) {
      throw new ConfigException("cluster.partitions must be a power of two, got " + partitions);
    }
    if (partitions < members.size()) {
      throw new ConfigException("cluster.partitions (" + partitions
          + ") must be at least the number of members (" + members.size() + ")");
    }
    SyncPolicy sync;
    try {
      sync = SyncPolicy.parse(str(s.getOrDefault("storage.sync", "group")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("storage.sync: " + e.getMessage());
    }
    int maxSiblings = integer(s, "limits.max_siblings", 100, 1, 100_000);
    int replicaMax = integer(s, "timeouts.replica_max_ms", 1000, 1, 3_600_000);
    int replicaMin = integer(s, "timeouts.replica_min_ms", Math.min(250, replicaMax), 1, replicaMax);
    return new NodeConfig(
        self,
        listen,
        me.address(),
        integer(s, "metrics_port", -1, -1, 65535),
        Path.of(str(required(s, "data_dir"))),
        members,
        partitions,
        n,
        r,
        w,
        sync,
        (long) integer(s, "storage.memtable_mb", 32, 1, 4096) << 20,
        (long) integer(s, "storage.block_cache_mb", 64, 0, 1 << 20) << 20,
        integer(s, "limits.max_key_bytes", 1024, 1, 65536),
        integer(s, "limits.max_value_bytes", 1 << 20, 0, 64 << 20),
        integer(s, "limits.warn_siblings", 25, 1, maxSiblings),
        maxSiblings,
        Duration.ofMillis(integer(s, "timeouts.request_ms", 5000, 1, 3_600_000)),
        integer(s, "limits.max_inflight_requests", 1024, 1, 1_000_000),
        Duration.ofMillis(replicaMin),
        Duration.ofMillis(replicaMax),
        gossip(s),
        hints(s),
        antiEntropy(s),
        integer(s, "health_port", -1, -1, 65535),
        security(s));
  }

  /**
   * TLS needs all three of tls.cert, tls.key and tls.ca; a tokens file needs TLS (a bearer token
   * must not travel in clear text). The files are read when the node starts (Security).
   */
  private static SecurityConfig security(Map<String, Object> s) {
    List<String> tls = List.of("tls.cert", "tls.key", "tls.ca");
    List<String> given = tls.stream().filter(k -> s.get(k) != null).toList();
    Path tokens = s.get("auth.tokens_file") == null ? null
        : Path.of(str(required(s, "auth.tokens_file")));
    if (given.isEmpty()) {
      if (tokens != null) {
        throw new ConfigException("auth.tokens_file needs tls (tls.cert, tls.key, tls.ca): bearer"
            + " tokens must not travel in clear text");
      }
      return SecurityConfig.PLAINTEXT;
    }
    if (given.size() < tls.size()) {
      throw new ConfigException("tls needs cert, key and ca; missing: " + tls.stream()
          .filter(k -> !given.contains(k)).toList());
    }
    return new SecurityConfig(Path.of(str(required(s, "tls.cert"))),
        Path.of(str(required(s, "tls.key"))), Path.of(str(required(s, "tls.ca"))), tokens);
  }

  /** The anti-entropy settings: {@link AntiEntropyConfig#defaults()} unless overridden. */
  private static AntiEntropyConfig antiEntropy(Map<String, Object> s) {
    AntiEntropyConfig d = AntiEntropyConfig.defaults();
    return new AntiEntropyConfig(
        bool(s, "antientropy.enabled", d.enabled()),
        millis(s, "antientropy.exchange_interval_ms", d.exchangeInterval(), 100),
        millis(s, "antientropy.compare_pause_ms", d.comparePause(), 0),
        millis(s, "antientropy.rebuild_interval_ms", d.rebuildInterval(), 1_000),
        integer(s, "antientropy.rebuild_keys_per_second", d.rebuildKeysPerSecond(), 1,
            Integer.MAX_VALUE),
        integer(s, "antientropy.max_keys_per_second", d.maxKeysPerSecond(), 1, Integer.MAX_VALUE),
        (long) integer(s, "antientropy.max_kb_per_second", (int) (d.maxBytesPerSecond() >> 10), 1,
            1 << 30) << 10,
        millis(s, "antientropy.tombstone_grace_ms", d.tombstoneGrace(), 0));
  }

  private static Duration millis(Map<String, Object> s, String key, Duration dflt, int min) {
    return Duration.ofMillis(integer(s, key, (int) dflt.toMillis(), min, Integer.MAX_VALUE));
  }

  private static boolean bool(Map<String, Object> s, String key, boolean dflt) {
    Object raw = s.get(key);
    if (raw == null) {
      return dflt;
    }
    return switch (str(raw).trim()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(key + " must be true or false, got '" + raw + "'");
    };
  }

  /** The hint store and handoff settings: {@link HintsConfig#defaults()} unless overridden. */
  private static HintsConfig hints(Map<String, Object> s) {
    HintsConfig d = HintsConfig.defaults();
    return new HintsConfig(
        Duration.ofMillis(integer(s, "hints.window_ms", (int) d.window().toMillis(), 1_000,
            Integer.MAX_VALUE)),
        (long) integer(s, "hints.segment_mb", (int) (d.segmentBytes() >> 20), 1, 1024) << 20,
        (long) integer(s, "hints.index_mb", (int) (d.indexMaxBytes() >> 20), 0, 1 << 20) << 20,
        Duration.ofMillis(integer(s, "handoff.sweep_interval_ms",
            (int) d.sweepInterval().toMillis(), 100, 3_600_000)),
        (long) integer(s, "handoff.max_kb_per_second", (int) (d.maxBytesPerSecond() >> 10), 1,
            1 << 30) << 10,
        integer(s, "handoff.batch_hints", d.batchHints(), 1, 100_000));
  }

  /** The gossip settings: the defaults of {@link GossipConfig#defaults()} unless overridden. */
  private static GossipConfig gossip(Map<String, Object> s) {
    GossipConfig d = GossipConfig.defaults();
    int phi = integer(s, "gossip.phi_threshold", (int) d.phiThreshold(), 1, 100);
    int interval = integer(s, "gossip.interval_ms", (int) d.tickMillis(), 10, 60_000);
    // Gaps kept out of the window and the local stall that arms the pause guard scale with a
    // longer interval, or every sample would count as a gap.
    return new GossipConfig(
        interval,
        phi,
        d.windowSize(),
        integer(s, "gossip.min_std_dev_ms", (int) d.minStdDevMillis(), 1, 60_000),
        integer(s, "gossip.acceptable_pause_ms", (int) d.acceptablePauseMillis(), 0, 600_000),
        Math.max(d.maxSampleGapMillis(), 2L * interval),
        Math.max(d.pauseGuardMillis(), 3L * interval),
        d.pauseQuietMillis(),
        d.unreachableGossipProbability(),
        d.seedGossipProbability());
  }

  private static List<MemberConfig> members(Object raw) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      throw new ConfigException("cluster.members is required: a list of {id, address}");
    }
    List<MemberConfig> out = new ArrayList<>();
    Set<NodeId> ids = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String where = "cluster.members[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> m) || m.get("id") == null || m.get("address") == null) {
        throw new ConfigException(where + " must have an id and an address");
      }
      NodeId id = nodeId(where + ".id", m.get("id"));
      HostPort address = HostPort.parse(where + ".address", str(m.get("address")));
      if (!ids.add(id)) {
        throw new ConfigException(where + ": duplicate member id " + id.id());
      }
      if (!addresses.add(address.toString())) {
        throw new ConfigException(where + ": duplicate address " + address);
      }
      out.add(new MemberConfig(id, address));
    }
    return List.copyOf(out);
  }

  private static NodeId nodeId(String setting, Object raw) {
    try {
      return NodeId.of(str(raw));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(setting + ": " + e.getMessage());
    }
  }

  private static Object required(Map<String, Object> s, String key) {
    Object v = s.get(key);
    if (v == null || str(v).isBlank()) {
      throw new ConfigException(key + " is required");
    }
    return v;
  }

  private static int integer(Map<String, Object> s, String key, int dflt, int min, int max) {
    Object raw = s.get(key);
    if (raw == null) {
      return dflt;
    }
    int v;
    try {
      v = Integer.parseInt(str(raw).trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + raw + "'");
    }
    if (v < min || v > max) {
      throw new ConfigException(key + " must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  private static String str(Object o) {
    return String.valueOf(o);
  }
}
