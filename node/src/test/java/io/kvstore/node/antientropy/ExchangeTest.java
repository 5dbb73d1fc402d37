package io.kvstore.node.antientropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.antientropy.TreeShape;
import io.kvstore.lsm.KvIterator;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.time.SimulatedTime;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.DotCounter;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exchange core between two real replica stores, the remote side being the other store's
 * {@link AeHandler} called directly (no network, simulated time): after one exchange both hold
 * the merge of the two for every key, only differing keys travel, identical replicas cost a few
 * hashes, and a tombstone that may be purged is not copied to a replica that lacks the key.
 * Randomized; the seed is in every message (replay with -Dkvstore.seed=N).
 */
class ExchangeTest {
  private static final int Q = 8;
  private static final TreeShape SHAPE = new TreeShape(64, 8);
  private static final Actor A = new Actor("a", 1);
  private static final Actor B = new Actor("b", 1);
  @TempDir Path dir;
  private final SimulatedTime time = new SimulatedTime();

  @Test
  void oneExchangeMakesTwoDivergedReplicasEqualAndSendsOnlyTheDifference() {
    long seed = seed();
    Random rnd = new Random(seed);
    try (Side a = new Side(dir.resolve("a"), A); Side b = new Side(dir.resolve("b"), B)) {
      int differing = 0;
      for (int i = 0; i < 2000; i++) {
        byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
        SiblingSet common = a.store.coordinate(key, Value.of(bytes("v" + i)), VersionVector.EMPTY,
            A, 100);
        b.store.merge(key, common);
        int kind = rnd.nextInt(100);
        if (kind < 3) { // a newer write on one side only
          a.store.coordinate(key, Value.of(bytes("a" + i)), common.context(), A, 100);
          differing++;
        } else if (kind < 5) { // concurrent writes on both sides: siblings after the merge
          a.store.coordinate(key, Value.of(bytes("a" + i)), VersionVector.EMPTY, A, 100);
          b.store.coordinate(key, Value.of(bytes("b" + i)), VersionVector.EMPTY, B, 100);
          differing++;
        } else if (kind < 6) { // a key only b holds
          byte[] only = ("only-b" + i).getBytes(StandardCharsets.UTF_8);
          b.store.coordinate(only, Value.of(bytes("x")), VersionVector.EMPTY, B, 100);
          differing++;
        }
      }
      build(a);
      build(b);
      long keys = 0;
      long bytes = 0;
      for (int p = 0; p < Q; p++) {
        Exchange.Result r = exchange(a, b, p);
        keys += r.keys();
        bytes += r.bytesSent() + r.bytesReceived();
      }
      assertEquals(differing, keys, "seed " + seed + ": exactly the differing keys are synced");
      assertEquals(dump(a), dump(b), "seed " + seed + ": replicas equal after one exchange");
      for (int p = 0; p < Q; p++) {
        assertEquals(a.trees.tree(p).root(), b.trees.tree(p).root(), "seed " + seed);
        assertTrue(exchange(a, b, p).same(), "seed " + seed + ": nothing left");
      }
      assertTrue(bytes < 2000L * 40, "seed " + seed + ": " + bytes + " bytes for "
          + differing + " differing keys of 2000");
    }
  }

  @Test
  void identicalReplicasCostOnlyTheirRoots() {
    try (Side a = new Side(dir.resolve("a"), A); Side b = new Side(dir.resolve("b"), B)) {
      for (int i = 0; i < 500; i++) {
        byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
        b.store.merge(key, a.store.coordinate(key, Value.of(bytes("v")), VersionVector.EMPTY, A,
            100));
      }
      build(a);
      build(b);
      for (int p = 0; p < Q; p++) {
        Exchange.Result r = exchange(a, b, p);
        assertTrue(r.same());
        assertEquals(Exchange.ROOT_SENT + Exchange.ROOT_RECEIVED,
            r.bytesSent() + r.bytesReceived(), "only the root travels");
      }
    }
  }

  /**
   * A tombstone the holder may purge is not handed to a replica that lacks the key (it would
   * only come back), while one it may not purge yet is.
   */
  @Test
  void aPurgeableTombstoneIsNotCopiedToAReplicaThatLacksTheKey() {
    try (Side a = new Side(dir.resolve("a"), A); Side b = new Side(dir.resolve("b"), B)) {
      byte[] key = bytes("gone");
      SiblingSet live = a.store.coordinate(key, Value.of(bytes("x")), VersionVector.EMPTY, A, 9);
      a.store.coordinate(key, Value.tombstone(time.currentTimeMillis()), live.context(), A, 9);
      build(a);
      build(b);
      int p = a.trees.partitionOf(KeyLayout.hash(key));
      long start = time.currentTimeMillis() + 1;
      time.advance(10);
      a.log.completed(p, new NodeId("b"), start, time.currentTimeMillis());
      // The log's exchange started after the delete, but it ended less than a hint window ago.
      Exchange.Result copied = exchange(a, b, p);
      assertEquals(1, copied.keys(), "not purgeable yet: handed over");
      assertTrue(b.store.read(key).orElseThrow().isDeleted());

      assertTrue(b.store.removeIf(key, b.store.read(key).orElseThrow().encode())); // b purged it
      time.advance(Side.WINDOW + 1); // now that exchange ended a hint window ago
      Exchange.Result skipped = exchange(a, b, p);
      assertEquals(1, skipped.skipped(), "purgeable here: purged, not copied back");
      assertTrue(b.store.read(key).isEmpty());
    }
  }

  private Exchange.Result exchange(Side a, Side b, int p) {
    return new Exchange(p, a.trees, a.store, b.handler, a.purge, Exchange.Waits.NONE,
        time.currentTimeMillis()).run(b.trees.tree(p).root());
  }

  private static void build(Side s) {
    for (int p = 0; p < Q; p++) {
      s.trees.rebuild(p, s.store, n -> {});
    }
  }

  private static TreeMap<String, String> dump(Side s) {
    TreeMap<String, String> out = new TreeMap<>();
    try (KvIterator it = s.store.scan(null, null)) {
      while (it.hasNext()) {
        KvIterator.Entry e = it.next();
        out.put(new String(KeyLayout.userKey(e.key()), StandardCharsets.UTF_8),
            ReplicaStore.decode(e.value()).toString());
      }
    }
    return out;
  }

  private static long seed() {
    String fixed = System.getProperty("kvstore.seed");
    return fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** One replica: store, trees, exchange log, purge policy, handler. */
  private final class Side implements AutoCloseable {
    static final long WINDOW = 1_000;
    final Trees trees = new Trees(Q, SHAPE);
    final ReplicaStore store;
    final ExchangeLog log = new ExchangeLog(WINDOW);
    final PurgePolicy purge;
    final AeHandler handler;

    Side(Path path, Actor actor) {
      Ring ring = Ring.create(Q, List.of(new NodeId("a"), new NodeId("b")));
      store = new ReplicaStore(LsmStore.open(path, Options.builder()
          .syncPolicy(SyncPolicy.none()).build()), trees, new DotCounter(),
          time::currentTimeMillis);
      purge = new PurgePolicy(new NodeId(actor.nodeId()), () -> ring, 2, log, 0, WINDOW);
      handler = new AeHandler(trees, store, purge, time);
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
