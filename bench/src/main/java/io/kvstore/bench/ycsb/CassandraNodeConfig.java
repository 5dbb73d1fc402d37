package io.kvstore.bench.ycsb;

import java.math.BigInteger;
import java.nio.file.Path;

/**
 * The cassandra.yaml of node {@code index} (1-based) of an {@code nodes}-node benchmark cluster
 * on loopback aliases: 127.0.0.{index}, the same ports on each (normally storage 7000, CQL 9042), node 1 the
 * seed, one token per node evenly spaced on the Murmur3 ring (with RF = nodes every node holds
 * every key anyway), {@code auto_bootstrap: false} (the cluster starts empty, so there is
 * nothing to stream and no 30 s ring delay per node), SimpleSnitch ("datacenter1"), no
 * snapshots on truncate or drop. Everything else is Cassandra 5.0's default.
 *
 * <p>Durability: {@code periodicMillis > 0} gives {@code commitlog_sync: periodic} with that
 * period (acknowledged before the fsync, as kvstore's {@code periodic:MILLIS}); 0 gives
 * {@code commitlog_sync: batch} (fsync before the acknowledgement, concurrent writers sharing
 * one fsync, as kvstore's {@code group}).
 *
 * <p>An immutable value.
 */
record CassandraNodeConfig(int index, int nodes, Path dir, long periodicMillis, Ports ports) {
  /** The CQL and storage (internode) ports, the same on every node. */
  record Ports(int cql, int storage) {
    static final Ports STANDARD = new Ports(9042, 7000);
  }

  CassandraNodeConfig {
    if (nodes < 1 || nodes > 254 || index < 1 || index > nodes) {
      throw new IllegalArgumentException("node " + index + " of " + nodes);
    }
  }

  String address() {
    return "127.0.0." + index;
  }

  /** This node's token: the ring of 2^64 Murmur3 tokens cut into {@code nodes} equal parts. */
  long token() {
    BigInteger step = BigInteger.ONE.shiftLeft(64).divide(BigInteger.valueOf(nodes));
    return BigInteger.valueOf(Long.MIN_VALUE).add(step.multiply(BigInteger.valueOf(index - 1)))
        .longValueExact();
  }

  String yaml() {
    String sync = periodicMillis > 0
        ? "commitlog_sync: periodic\ncommitlog_sync_period: " + periodicMillis + "ms\n"
        : "commitlog_sync: batch\n";
    return """
        cluster_name: kvstore-ycsb
        num_tokens: 1
        initial_token: %d
        auto_bootstrap: false
        partitioner: org.apache.cassandra.dht.Murmur3Partitioner
        data_file_directories: [%s]
        commitlog_directory: %s
        saved_caches_directory: %s
        hints_directory: %s
        cdc_raw_directory: %s
        %sseed_provider:
          - class_name: org.apache.cassandra.locator.SimpleSeedProvider
            parameters:
              - seeds: "127.0.0.1:%d"
        listen_address: %s
        rpc_address: %s
        storage_port: %d
        native_transport_port: %d
        start_native_transport: true
        endpoint_snitch: SimpleSnitch
        auto_snapshot: false
        """.formatted(token(), dir.resolve("data"), dir.resolve("commitlog"),
        dir.resolve("saved_caches"), dir.resolve("hints"), dir.resolve("cdc_raw"), sync,
        ports.storage(), address(), address(), ports.storage(), ports.cql());
  }

  /** Logging to {@code system.log} in the node's directory, INFO and up. */
  String logbackXml() {
    return """
        <configuration>
          <appender name="FILE" class="ch.qos.logback.core.FileAppender">
            <file>%s</file>
            <encoder><pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern></encoder>
          </appender>
          <root level="INFO"><appender-ref ref="FILE"/></root>
        </configuration>
        """.formatted(dir.resolve("system.log"));
  }
}
