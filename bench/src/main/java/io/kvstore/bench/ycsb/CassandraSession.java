package io.kvstore.bench.ycsb;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the YCSB threads of one JVM share for Cassandra: one {@link CqlSession} (the driver's
 * defaults otherwise: token-aware, one connection per node), the prepared statements by CQL
 * text, the consistency levels and the error log.
 *
 * <p>Properties: {@code cassandra.contactpoints} (comma-separated host[:port], default
 * 127.0.0.1:9042), {@code cassandra.localdc} (default datacenter1, SimpleSnitch's),
 * {@code cassandra.keyspace} (default ycsb), {@code cassandra.readconsistency} and
 * {@code cassandra.writeconsistency} (default ONE), {@code cassandra.timeout} (milliseconds per
 * request, default 5000, as kvstore's).
 *
 * <p>Thread safe.
 */
final class CassandraSession implements AutoCloseable {
  final CqlSession cql;
  final ConsistencyLevel read;
  final ConsistencyLevel write;
  final ErrorLog errors;
  private final Map<String, PreparedStatement> prepared = new ConcurrentHashMap<>();

  CassandraSession(Settings s, PrintStream out) {
    this.cql = connect(s.contactPoints(), s.localDc(), s.keyspace(), s.timeoutMillis());
    this.read = s.read();
    this.write = s.write();
    this.errors = new ErrorLog("cassandra binding", out);
  }

  /** A session to the cluster (keyspace null: none chosen). */
  static CqlSession connect(List<InetSocketAddress> contactPoints, String localDc,
      String keyspace, long timeoutMillis) {
    return CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter(localDc)
        .withKeyspace(keyspace)
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(timeoutMillis))
            // Close at once: the default 2 s quiet period would count in YCSB's run time.
            .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 0)
            .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 0)
            .build())
        .build();
  }

  /** The prepared statement of {@code cql}, prepared once per session. */
  PreparedStatement prepare(String text) {
    return prepared.computeIfAbsent(text, cql::prepare);
  }

  @Override
  public void close() {
    cql.close();
  }

  /** The binding's properties, validated. */
  record Settings(List<InetSocketAddress> contactPoints, String localDc, String keyspace,
      ConsistencyLevel read, ConsistencyLevel write, long timeoutMillis) {
    static Settings from(Properties p) {
      List<InetSocketAddress> points = Arrays.stream(
              p.getProperty("cassandra.contactpoints", "127.0.0.1:9042").split(","))
          .map(String::strip).filter(s -> !s.isEmpty()).map(Settings::address).toList();
      if (points.isEmpty()) {
        throw new IllegalArgumentException("cassandra.contactpoints is empty");
      }
      return new Settings(points, p.getProperty("cassandra.localdc", "datacenter1"),
          p.getProperty("cassandra.keyspace", "ycsb"),
          level(p, "cassandra.readconsistency"), level(p, "cassandra.writeconsistency"),
          Long.parseLong(p.getProperty("cassandra.timeout", "5000").strip()));
    }

    /** Threads with equal settings share one session. */
    String key() {
      return contactPoints + "|" + localDc + "|" + keyspace + "|" + read + "|" + write + "|"
          + timeoutMillis;
    }

    static InetSocketAddress address(String hostPort) {
      int colon = hostPort.lastIndexOf(':');
      return colon < 0 ? new InetSocketAddress(hostPort, 9042)
          : new InetSocketAddress(hostPort.substring(0, colon),
              Integer.parseInt(hostPort.substring(colon + 1)));
    }

    private static ConsistencyLevel level(Properties p, String name) {
      String text = p.getProperty(name, "ONE").strip().toUpperCase(java.util.Locale.ROOT);
      try {
        return DefaultConsistencyLevel.valueOf(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + ": unknown consistency level '" + text + "'", e);
      }
    }
  }
}
