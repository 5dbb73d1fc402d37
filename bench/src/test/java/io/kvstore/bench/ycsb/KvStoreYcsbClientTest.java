package io.kvstore.bench.ycsb;

import static io.kvstore.bench.ycsb.Records.fields;
import static io.kvstore.bench.ycsb.Records.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.node.Node;
import io.kvstore.node.config.ConfigLoader;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.Vector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.DBException;
import site.ycsb.Status;

/** The kvstore binding against a real node in this JVM, over real gRPC on localhost. */
class KvStoreYcsbClientTest {
  @TempDir static Path dir;
  static Node node;
  static String address;
  static KvClient raw;

  @BeforeAll
  static void startNode() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    address = "127.0.0.1:" + port;
    node = Node.start(ConfigLoader.load(null, List.of("node_id=n1", "data_dir=" + dir,
        "cluster.members=n1@" + address, "cluster.n=1", "cluster.partitions=64", "storage.memtable_mb=1",
        "storage.block_cache_mb=4")));
    raw = KvClient.builder().addresses(address).build();
  }

  @AfterAll
  static void stopNode() {
    raw.close();
    node.close();
  }

  @Test
  void insertReadUpdateDelete() throws DBException {
    KvStoreYcsbClient db = binding(address);
    try {
      assertEquals(Status.OK, db.insert("usertable", "user1", fields("field0", "a", "field1", "b")));
      assertEquals(Map.of("field0", "a", "field1", "b"), read(db, "user1", null));
      assertEquals(Map.of("field1", "b"), read(db, "user1", Set.of("field1")));
      assertEquals(Status.OK, db.update("usertable", "user1", fields("field0", "z")));
      assertEquals(Map.of("field0", "z", "field1", "b"), read(db, "user1", null));
      assertEquals(1, raw.get(bytes("user1")).siblings().size(), "the update superseded the insert");
      assertEquals(Status.OK, db.delete("usertable", "user1"));
      assertEquals(Status.NOT_FOUND, db.read("usertable", "user1", null, new HashMap<>()));
      assertEquals(Status.NOT_FOUND, db.delete("usertable", "user1"));
      assertEquals(Status.NOT_FOUND, db.read("usertable", "never", null, new HashMap<>()));
      assertEquals(Status.NOT_IMPLEMENTED, db.scan("usertable", "user1", 10, null, new Vector<>()));
    } finally {
      db.cleanup();
    }
  }

  @Test
  void updateOfAMissingKeyCreatesIt() throws DBException {
    KvStoreYcsbClient db = binding(address);
    try {
      assertEquals(Status.OK, db.update("usertable", "fresh", fields("field3", "q")));
      assertEquals(Map.of("field3", "q"), read(db, "fresh", null));
    } finally {
      db.cleanup();
    }
  }

  /** Dynamo 4.4: two blind writes are concurrent siblings; the next update resolves them. */
  @Test
  void updateResolvesSiblingsOfTwoConcurrentBlindPutsIntoOne() throws DBException {
    KvStoreYcsbClient a = binding(address);
    KvStoreYcsbClient b = binding(address);
    try {
      assertEquals(Status.OK, a.insert("usertable", "twice", fields("field0", "aaa", "field1", "x")));
      assertEquals(Status.OK, b.insert("usertable", "twice", fields("field0", "bbb", "field2", "y")));
      assertEquals(2, raw.get(bytes("twice")).siblings().size(), "two blind puts, two siblings");
      assertEquals(Map.of("field0", "bbb", "field1", "x", "field2", "y"), read(a, "twice", null),
          "a read shows the merge");
      assertEquals(Status.OK, a.update("usertable", "twice", fields("field3", "w")));
      GetResult after = raw.get(bytes("twice"));
      assertEquals(1, after.siblings().size(), "the update's context covered both siblings");
      SortedMap<String, byte[]> record = FieldCodec.decode(after.siblings().getFirst());
      assertEquals(List.of("field0", "field1", "field2", "field3"), List.copyOf(record.keySet()));
      assertArrayEquals(bytes("bbb"), record.get("field0"), "the greater bytes win a conflict");
    } finally {
      a.cleanup();
      b.cleanup();
    }
  }

  @Test
  void anUnreachableClusterGivesErrorNotAnException() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    KvStoreYcsbClient db = binding("127.0.0.1:" + closed);
    try {
      assertEquals(Status.ERROR, db.insert("usertable", "k", fields("field0", "v")));
      assertEquals(Status.ERROR, db.read("usertable", "k", null, new HashMap<>()));
    } finally {
      db.cleanup();
    }
  }

  @Test
  void badPropertiesFailInit() {
    KvStoreYcsbClient db = new KvStoreYcsbClient();
    Properties p = new Properties();
    p.setProperty("kvstore.nodes", address);
    p.setProperty("kvstore.r", "-1");
    db.setProperties(p);
    assertThrows(DBException.class, db::init);
  }

  private static KvStoreYcsbClient binding(String nodes) throws DBException {
    KvStoreYcsbClient db = new KvStoreYcsbClient();
    Properties p = new Properties();
    p.setProperty("kvstore.nodes", nodes);
    p.setProperty("kvstore.r", "1");
    p.setProperty("kvstore.w", "1");
    p.setProperty("kvstore.timeout", "2000");
    db.setProperties(p);
    db.init();
    return db;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
