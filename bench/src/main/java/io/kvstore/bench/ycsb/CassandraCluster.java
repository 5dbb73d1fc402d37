package io.kvstore.bench.ycsb;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Cassandra benchmark cluster of node processes under one directory: node i in {@code dir/ni}
 * (cassandra.yaml, logback.xml, data, {@code system.log}, {@code stdout.log}, {@code pid}). Nodes
 * start one after another (Cassandra joins one node at a time), each awaited until its CQL port
 * answers; then the keyspace and table are created once every node is up.
 *
 * <p>The processes outlive the JVM that started them: {@link #stop(Path, PrintStream)} finds them
 * again by their pid files (SIGTERM, Cassandra's graceful shutdown, then SIGKILL after 30 s).
 * Not thread safe.
 */
final class CassandraCluster {
  private static final long START_TIMEOUT_MILLIS = 120_000;

  private CassandraCluster() {}

  /**
   * Starts {@code nodes} nodes and creates {@code keyspace.usertable} with replication factor
   * min(nodes, 3) and {@code fields} blob columns; returns the CQL contact points.
   */
  static List<InetSocketAddress> start(CassandraJvm jvm, Path dir, int nodes, long periodicMillis,
      CassandraNodeConfig.Ports ports, int fields, PrintStream log)
      throws IOException, InterruptedException {
    List<InetSocketAddress> points = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      CassandraNodeConfig node = new CassandraNodeConfig(i, nodes, dir.resolve("n" + i),
          periodicMillis, ports);
      long t0 = System.nanoTime();
      startNode(jvm, node);
      InetSocketAddress cql = new InetSocketAddress(node.address(), ports.cql());
      awaitPort(node, cql);
      log.printf("  cassandra n%d ready on %s (%.1f s)%n", i, node.address(),
          (System.nanoTime() - t0) / 1e9);
      points.add(cql);
    }
    createSchema(points, nodes, Math.min(nodes, 3), fields);
    return points;
  }

  /** Stops every node found under {@code dir} and waits for each to exit. */
  static void stop(Path dir, PrintStream log) throws IOException, InterruptedException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> pidFiles;
    try (Stream<Path> s = Files.list(dir)) {
      pidFiles = s.map(n -> n.resolve("pid")).filter(Files::exists).sorted().toList();
    }
    for (Path pidFile : pidFiles) {
      Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
      if (p.isPresent() && p.get().isAlive()) {
        ProcessHandle h = p.get();
        h.destroy();
        try {
          h.onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
          log.println("  " + pidFile.getParent().getFileName() + " did not stop in 30 s; killing");
          h.destroyForcibly();
          h.onExit().join();
        }
      }
      Files.delete(pidFile);
      log.println("  cassandra " + pidFile.getParent().getFileName() + " stopped");
    }
  }

  private static void startNode(CassandraJvm jvm, CassandraNodeConfig node) throws IOException {
    Files.createDirectories(node.dir());
    Files.writeString(node.dir().resolve("cassandra.yaml"), node.yaml());
    Files.writeString(node.dir().resolve("logback.xml"), node.logbackXml());
    Process p = new ProcessBuilder(jvm.command(node))
        .redirectErrorStream(true)
        .redirectOutput(node.dir().resolve("stdout.log").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    Files.writeString(node.dir().resolve("pid"), Long.toString(p.pid()));
  }

  private static void awaitPort(CassandraNodeConfig node, InetSocketAddress cql)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT_MILLIS * 1_000_000;
    ProcessHandle p = ProcessHandle.of(Long.parseLong(
        Files.readString(node.dir().resolve("pid")).strip())).orElseThrow();
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(cql, 500);
        return;
      } catch (IOException notYet) {
        if (!p.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("cassandra node " + node.index() + " "
              + (p.isAlive() ? "did not open " + cql + " in " + START_TIMEOUT_MILLIS / 1000 + " s"
                  : "exited during start-up") + "; see " + node.dir().resolve("system.log")
              + " and stdout.log");
        }
        Thread.sleep(200);
      }
    }
  }

  private static void createSchema(List<InetSocketAddress> points, int nodes, int rf, int fields)
      throws InterruptedException, IOException {
    try (CqlSession s = CassandraSession.connect(points, "datacenter1", null, 30_000)) {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (upNodes(s) < nodes) {
        if (System.nanoTime() > deadline) {
          throw new IOException("only " + upNodes(s) + " of " + nodes + " cassandra nodes up after 60 s");
        }
        Thread.sleep(200);
      }
      s.execute(CqlStatements.createKeyspace("ycsb", rf));
      s.execute(CqlStatements.createTable("ycsb", "usertable", fields));
      if (!s.checkSchemaAgreement()) {
        throw new IOException("cassandra nodes disagree on the schema after creating the table");
      }
    }
  }

  private static long upNodes(CqlSession s) {
    return s.getMetadata().getNodes().values().stream().map(Node::getState)
        .filter(NodeState.UP::equals).count();
  }
}
