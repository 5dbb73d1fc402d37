package io.kvstore.bench.ycsb;

import static io.kvstore.bench.ycsb.Records.fields;
import static io.kvstore.bench.ycsb.Records.read;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The Cassandra binding against a real Cassandra 5.0 node: its own JDK 17 process, started by
 * the same code as the benchmark's ({@link CassandraCluster}), on free ports. Starts in about 5 s
 * here. Skipped, saying why, when there is no JDK 17 or Cassandra's classpath cannot be resolved
 * (bench/cassandra/pom.xml, fetched here with Maven when missing).
 */
class CassandraYcsbClientTest {
  @TempDir static Path dir;
  static String contactPoint;

  @BeforeAll
  static void startCassandra() throws Exception {
    Optional<Path> jdk17 = jdk17();
    requirePeer(jdk17.isPresent(), "no JDK 17 under /usr/lib/jvm: Cassandra 5.0 needs one");
    Path classpath = Path.of("cassandra/target/classpath.txt");
    requirePeer(Files.exists(classpath) || resolveClasspath(),
        "Cassandra's classpath could not be resolved (see bench/cassandra/pom.xml)");
    CassandraNodeConfig.Ports ports = new CassandraNodeConfig.Ports(freePort(), freePort());
    CassandraCluster.start(CassandraJvm.of(jdk17.get(), classpath, "512m"), dir, 1, 0, ports, 2,
        System.err);
    contactPoint = "127.0.0.1:" + ports.cql();
  }

  /**
   * Skips the test without the peer on a developer's machine; fails in CI, which sets
   * KV_REQUIRE_CASSANDRA=1 (.ci/run), so a missing peer never passes as a skip there.
   */
  private static void requirePeer(boolean present, String why) {
    if (!present && "1".equals(System.getenv("KV_REQUIRE_CASSANDRA"))) {
      throw new AssertionError(why + " (KV_REQUIRE_CASSANDRA=1)");
    }
    assumeTrue(present, why);
  }

  @AfterAll
  static void stopCassandra() throws Exception {
    CassandraCluster.stop(dir, System.err);
  }

  @Test
  void insertReadUpdateDelete() throws DBException {
    CassandraYcsbClient db = binding(contactPoint, "ONE");
    try {
      assertEquals(Status.OK, db.insert("usertable", "user1",
          fields("field0", "a", "field1", "b")));
      assertEquals(Map.of("field0", "a", "field1", "b"), read(db, "user1", null));
      assertEquals(Map.of("field1", "b"), read(db, "user1", Set.of("field1")));
      assertEquals(Status.OK, db.update("usertable", "user1", fields("field0", "z")));
      assertEquals(Map.of("field0", "z", "field1", "b"), read(db, "user1", null));
      assertEquals(Status.OK, db.delete("usertable", "user1"));
      assertEquals(Status.NOT_FOUND, db.read("usertable", "user1", null, new HashMap<>()));
      assertEquals(Status.NOT_IMPLEMENTED, db.scan("usertable", "user1", 10, null, new Vector<>()));
    } finally {
      db.cleanup();
    }
  }

  @Test
  void aQuorumThatOneNodeCannotMeetIsAnError() throws DBException {
    CassandraYcsbClient db = binding(contactPoint, "TWO");
    try {
      assertEquals(Status.ERROR, db.insert("usertable", "k", fields("field0", "v")));
    } finally {
      db.cleanup();
    }
  }

  @Test
  void anUnknownConsistencyLevelFailsInit() {
    CassandraYcsbClient db = new CassandraYcsbClient();
    Properties p = new Properties();
    p.setProperty("cassandra.contactpoints", contactPoint);
    p.setProperty("cassandra.readconsistency", "MOST");
    db.setProperties(p);
    assertThrows(DBException.class, db::init);
  }

  private static CassandraYcsbClient binding(String contactPoint, String consistency)
      throws DBException {
    CassandraYcsbClient db = new CassandraYcsbClient();
    Properties p = new Properties();
    p.setProperty("cassandra.contactpoints", contactPoint);
    p.setProperty("cassandra.readconsistency", consistency);
    p.setProperty("cassandra.writeconsistency", consistency);
    db.setProperties(p);
    db.init();
    return db;
  }

  private static Optional<Path> jdk17() throws IOException {
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(jvms)) {
      return s.filter(p -> p.getFileName().toString().contains("17"))
          .filter(p -> Files.isExecutable(p.resolve("bin/java")))
          .sorted(Comparator.reverseOrder()).findFirst();
    }
  }

  /** What scripts/ycsb-compare.sh does when the classpath file is missing. */
  private static boolean resolveClasspath() throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of("../mvnw", "-B", "-q", "-f", "cassandra/pom.xml",
        "dependency:build-classpath", "-Dmdep.outputFile=target/classpath.txt"))
        .redirectErrorStream(true).redirectOutput(dir.resolve("mvn.log").toFile()).start();
    return p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
