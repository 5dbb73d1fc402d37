package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.ReadOptions;
import io.kvstore.proto.RepairProgress;
import io.kvstore.proto.RepairRequest;
import io.kvstore.proto.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Convergence without reads (DESIGN.md section 7): three in-process nodes, N=3, anti-entropy every
 * 300 ms, no client reads (so no read repair). Replicas made to diverge behind the coordinator
 * (a write into one store, keys silently lost from one engine, an old copy of a data directory
 * restored) become identical on their own; tombstones are purged only once every replica holds
 * them, and a replica that was down across a delete does not bring the value back.
 */
class AntiEntropyTest {
  private static final String[] FAST = {
      "antientropy.exchange_interval_ms=300", "antientropy.compare_pause_ms=20",
      "antientropy.rebuild_interval_ms=1000", "antientropy.tombstone_grace_ms=0",
      "hints.window_ms=1000"};
  @TempDir Path root;

  @Test
  void writesMadeBehindTheCoordinatorReachEveryReplica() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, FAST)) {
      List<byte[]> keys = keys("k", 200);
      for (byte[] k : keys) {
        put(c, 0, k, "v", ByteString.EMPTY, 3);
      }
      var actor = c.node(1).actor();
      for (int i = 0; i < 20; i++) { // only n2's store gets these
        c.node(1).replicaStore().coordinate(keys.get(i), Value.of(bytes("behind")),
            VersionVector.EMPTY, actor, 100);
      }
      c.node(2).replicaStore().coordinate(bytes("only-on-n3"), Value.of(bytes("x")),
          VersionVector.EMPTY, c.node(2).actor(), 100);
      keys.add(bytes("only-on-n3"));
      awaitIdentical(c, keys, 15_000);
      assertEquals(2, c.local(0, keys.getFirst()).getSiblingsCount(), "the blind write is a sibling");
    }
  }

  @Test
  void keysSilentlyLostFromOneEngineComeBackAfterTheTreeRebuild() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, FAST)) {
      List<byte[]> keys = keys("lost", 300);
      for (byte[] k : keys) {
        put(c, 0, k, "v", ByteString.EMPTY, 3);
      }
      awaitIdentical(c, keys, 10_000);
      // Bypass the store: the tree still has these keys, so only a rebuild can notice.
      for (int i = 0; i < 100; i++) {
        byte[] k = keys.get(i);
        c.node(2).replicaStore().engine().delete(KeyLayout.storageKey(KeyLayout.hash(k), k));
      }
      assertFalse(c.local(2, keys.getFirst()).getPresent());
      awaitIdentical(c, keys, 20_000);
    }
  }

  /**
   * An old copy of a data directory, younger than the tombstone grace period: the node starts a
   * new actor epoch (its incarnation moves past every earlier one), gets the writes it missed,
   * and its stale values of keys deleted since stay deleted.
   */
  @Test
  void anOldCopyOfADataDirectoryCatchesUpWithoutResurrectingDeletes() throws Exception {
    String[] settings = java.util.Arrays.copyOf(FAST, FAST.length + 1);
    settings[FAST.length] = "antientropy.tombstone_grace_ms=600000";
    try (TestCluster c = new TestCluster(root, 3, settings)) {
      List<byte[]> keys = keys("r", 100);
      for (byte[] k : keys) {
        put(c, 0, k, "old", ByteString.EMPTY, 3);
      }
      awaitIdentical(c, keys, 10_000);
      long before = c.node(2).actor().incarnation();
      c.stop(2);
      Path backup = root.resolve("n3-backup");
      copy(c.dataDir(2), backup);
      c.restart(2);
      c.awaitMember(0, "n3", io.kvstore.proto.MemberStatus.MEMBER_STATUS_UP, 10_000);
      List<byte[]> later = keys("new", 50);
      for (byte[] k : later) {
        put(c, 0, k, "v", ByteString.EMPTY, 3);
      }
      for (int i = 0; i < 30; i++) {
        delete(c, keys.get(i));
      }
      c.stop(2);
      delete(c.dataDir(2));
      copy(backup, c.dataDir(2));
      c.restart(2);
      assertTrue(c.node(2).actor().incarnation() > before, "a new actor epoch after the restore");
      List<byte[]> all = new ArrayList<>(keys);
      all.addAll(later);
      awaitIdentical(c, all, 20_000);
      for (int i = 0; i < 30; i++) {
        var read = c.kv(2).get(GetRequest.newBuilder().setKey(ByteString.copyFrom(keys.get(i)))
            .setOptions(ReadOptions.newBuilder().setR(3)).build());
        assertFalse(read.getFound(), "deleted key " + i + " stays deleted");
      }
    }
  }

  /**
   * Dynamo-style tombstone purge (riak_kv delete_mode, Cassandra gc_grace with repair): with a
   * replica down, nobody purges; once it is back, it gets the tombstone and then every replica
   * drops the key, and a new write of it is not shadowed by anything old.
   */
  @Test
  void tombstonesArePurgedOnlyOnceEveryReplicaHoldsThem() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, FAST)) {
      byte[] key = bytes("doomed");
      byte[] held = bytes("held across a restart");
      put(c, 0, key, "alive", ByteString.EMPTY, 3);
      put(c, 0, held, "alive", ByteString.EMPTY, 3);
      delete(c, held, 3);
      c.crash(2); // n3 stores the tombstone of "held"; no write will note it after the restart
      delete(c, key, 2);
      Thread.sleep(3_000); // exchanges between n1 and n2 complete; none with n3 can
      assertTrue(c.local(0, key).getPresent(), "no purge while a replica is down");
      assertTrue(SiblingSet.decode(c.local(1, key).getSiblingSet().toByteArray()).isDeleted());
      c.restart(2);
      awaitGoneEverywhere(c, key, 20_000);
      awaitGoneEverywhere(c, held, 20_000);
      put(c, 1, key, "again", ByteString.EMPTY, 3);
      var read = c.kv(2).get(GetRequest.newBuilder().setKey(ByteString.copyFrom(key))
          .setOptions(ReadOptions.newBuilder().setR(3)).build());
      assertEquals(1, read.getSiblingsCount(), read.toString());
      assertEquals("again", read.getSiblings(0).getValue().toStringUtf8());
      String metrics = c.node(0).metrics().scrape();
      var purged = java.util.regex.Pattern.compile("kv_tombstones_purged_total\\{node=\"n1\"} ([0-9.]+)")
          .matcher(metrics);
      // At least both keys; more when a replica purged first and took a tombstone back from one
      // that could not purge it yet (then purged it again).
      assertTrue(purged.find() && Double.parseDouble(purged.group(1)) >= 2, metrics);
      assertTrue(metrics.contains("kv_antientropy_trees_built{node=\"n1\"} 64.0"), metrics);
    }
  }

  /**
   * A hint older than the hint window is acknowledged by its owner but not merged (Cassandra:
   * hints expire at the smallest gc_grace): it could hold a value whose tombstone is purged.
   */
  @Test
  void aHintOlderThanTheHintWindowIsRefusedByItsOwner() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, FAST)) {
      ManagedChannel ch = channel(c, 0);
      byte[] key = bytes("late");
      SiblingSet stale = SiblingSet.EMPTY.put(bytes("old"), VersionVector.EMPTY,
          new io.kvstore.node.versioning.Actor("n9", 1));
      var replica = io.kvstore.proto.ReplicaGrpc.newBlockingStub(ch)
          .withDeadlineAfter(5, TimeUnit.SECONDS);
      var late = io.kvstore.proto.ReplicaWriteRequest.newBuilder()
          .setKey(ByteString.copyFrom(key)).setSiblingSet(ByteString.copyFrom(stale.encode()))
          .setCoordinatorNodeId("n2")
          .setHintCreatedMillis(System.currentTimeMillis() - 5_000).build();
      assertTrue(SiblingSet.decode(replica.replicaWrite(late).getSiblingSet().toByteArray())
          .isEmpty());
      assertFalse(c.local(0, key).getPresent(), "a late hint is not merged");
      replica.replicaWrite(late.toBuilder().setHintCreatedMillis(System.currentTimeMillis())
          .build());
      assertTrue(c.local(0, key).getPresent(), "a hint inside the window is");
      ch.shutdownNow();
    }
  }

  private static ManagedChannel channel(TestCluster c, int node) {
    return Grpc.newChannelBuilder("127.0.0.1:" + c.node(node).port(),
        InsecureChannelCredentials.create()).build();
  }

  /** kv repair: one message per exchange, then totals; identical replicas cost a few hashes. */
  @Test
  void repairOnDemandStreamsProgressAndIsCheapWhenReplicasAgree() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, "antientropy.enabled=false")) {
      List<byte[]> keys = keys("d", 100);
      for (byte[] k : keys) {
        put(c, 0, k, "v", ByteString.EMPTY, 3);
      }
      c.node(1).replicaStore().coordinate(keys.getFirst(), Value.of(bytes("n2 only")),
          VersionVector.EMPTY, c.node(1).actor(), 100);
      awaitTreesBuilt(c, 0, 10_000); // built at start even with scheduled anti-entropy off
      List<RepairProgress> first = repair(c, 0);
      RepairProgress total = first.getLast();
      assertTrue(total.getFinished());
      assertEquals(total.getTotal(), total.getDone());
      assertEquals(64 * 2, total.getTotal(), "every partition with both co-replicas");
      assertEquals(first.size() - 1, total.getTotal());
      // n1 takes n2's write (1 key), then hands it to n3 (1 key).
      assertEquals(2, total.getKeysRepaired(), total.toString());
      RepairProgress again = repair(c, 0).getLast();
      assertEquals(0, again.getKeysRepaired(), again.toString());
      assertTrue(again.getBytesSent() + again.getBytesReceived() < 8 * 1024, again.toString());
    }
  }

  private static void awaitTreesBuilt(TestCluster c, int node, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      var ae = c.status(node).getAntiEntropy();
      if (ae.getPartitions() > 0 && ae.getTreesBuilt() == ae.getPartitions()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("trees not built: " + c.status(node).getAntiEntropy());
  }

  private static List<RepairProgress> repair(TestCluster c, int node) {
    ManagedChannel ch = channel(c, node);
    try {
      List<RepairProgress> out = new ArrayList<>();
      Iterator<RepairProgress> it = AdminGrpc.newBlockingStub(ch)
          .withDeadlineAfter(60, TimeUnit.SECONDS).repair(RepairRequest.getDefaultInstance());
      it.forEachRemaining(out::add);
      return out;
    } finally {
      ch.shutdownNow();
    }
  }

  /** Polls every node's raw state of every key until all three agree, or fails. */
  private static void awaitIdentical(TestCluster c, List<byte[]> keys, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    String last = null;
    while (System.nanoTime() < deadline) {
      last = firstDifference(c, keys);
      if (last == null) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("replicas still differ after " + timeoutMillis + " ms: " + last);
  }

  private static String firstDifference(TestCluster c, List<byte[]> keys) {
    for (byte[] k : keys) {
      ByteString first = c.local(0, k).getSiblingSet();
      for (int i = 1; i < 3; i++) {
        if (!c.local(i, k).getSiblingSet().equals(first)) {
          return new String(k, StandardCharsets.UTF_8) + " on n1 vs n" + (i + 1);
        }
      }
    }
    return null;
  }

  private static void awaitGoneEverywhere(TestCluster c, byte[] key, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (!c.local(0, key).getPresent() && !c.local(1, key).getPresent()
          && !c.local(2, key).getPresent()) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("tombstone not purged everywhere: n1 " + c.local(0, key).getPresent()
        + " n2 " + c.local(1, key).getPresent() + " n3 " + c.local(2, key).getPresent());
  }

  private static void delete(TestCluster c, byte[] key) {
    delete(c, key, 2);
  }

  private static void delete(TestCluster c, byte[] key, int w) {
    ByteString ctx = c.kv(0).get(GetRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .build()).getContext();
    c.kv(0).delete(DeleteRequest.newBuilder().setKey(ByteString.copyFrom(key)).setContext(ctx)
        .setOptions(WriteOptions.newBuilder().setW(w)).build());
  }

  private static List<byte[]> keys(String prefix, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(bytes(prefix + i));
    }
    return out;
  }

  private static void copy(Path from, Path to) throws Exception {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals("LOCK")) {
          Files.copy(p, target);
        }
      }
    }
  }

  private static void delete(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
