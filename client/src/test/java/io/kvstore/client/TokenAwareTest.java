package io.kvstore.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Partitioner;
import io.kvstore.ring.Ring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token-aware routing against three fake nodes standing in for n1..n3 of a known ring (Q = 8,
 * N = 2, so every key has one node that is not its replica): requests go to a replica of their
 * key, hedges and failover to the other replica first, the ring is learned once and followed to a
 * newer epoch, and an answer without replicas (an older node) leaves routing as it was. Controls
 * without token awareness show the same checks failing.
 */
class TokenAwareTest {
  private static final long SEED = 7_202_605L;
  private static final int Q = 8;
  private static final int N = 2;
  private static final long SECOND = 1_000_000_000L;

  private final List<FakeKvStore> fakes = new ArrayList<>();
  private final Map<String, String> addresses = new LinkedHashMap<>();
  private final AtomicLong clockOffset = new AtomicLong();
  private Ring ring;

  @BeforeAll
  static void printSeed() {
    System.out.println("TokenAwareTest seed " + SEED);
  }

  @BeforeEach
  void start() {
    for (int i = 1; i <= 3; i++) {
      FakeKvStore f = new FakeKvStore();
      fakes.add(f);
      addresses.put("n" + i, f.address());
    }
    ring = Ring.create(Q, List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3")));
    serve(ring);
  }

  @AfterEach
  void stop() {
    fakes.forEach(FakeKvStore::close);
  }

  /** Every fake answers status as its node of {@code r} would. */
  private void serve(Ring r) {
    for (int i = 0; i < fakes.size(); i++) {
      fakes.get(i).status(FakeKvStore.ringStatus("n" + (i + 1), r, N, addresses));
    }
  }

  /**
   * A client of the three fakes. The hedge delay before any answer (how long the first call
   * waits for the ring) is 1 s, so a slow start of this JVM does not skip the learning.
   */
  private KvClient.Builder builder() {
    return KvClient.builder().addresses(fakes.stream().map(FakeKvStore::address).toList())
        .timeout(Duration.ofSeconds(2)).probeInterval(Duration.ofSeconds(30))
        .hedgeDelay(Duration.ofMillis(20), Duration.ofSeconds(1))
        .random(new SplittableRandom(SEED)).clock(() -> System.nanoTime() + clockOffset.get());
  }

  private static byte[] key(int i) {
    return ("key" + i).getBytes(UTF_8);
  }

  /** Indexes of the fakes that replicate {@code key} in {@code r}. */
  private static Set<Integer> replicas(Ring r, byte[] key) {
    Set<Integer> out = new HashSet<>();
    r.preferenceList(key, N).forEach(id -> out.add(Integer.parseInt(id.id().substring(1)) - 1));
    return out;
  }

  /** The first key0, key1, ... whose replica indexes in the ring satisfy {@code p}. */
  private byte[] keyWhere(Predicate<Set<Integer>> p) {
    return IntStream.range(0, 1000).mapToObj(TokenAwareTest::key)
        .filter(k -> p.test(replicas(ring, k))).findFirst().orElseThrow();
  }

  private static int other(Set<Integer> replicas) {
    return IntStream.range(0, 3).filter(i -> !replicas.contains(i)).findFirst().orElseThrow();
  }

  /** Indexes of the fakes that received a get, put or delete of {@code key}. */
  private Set<Integer> receivers(byte[] key) {
    ByteString k = ByteString.copyFrom(key);
    Set<Integer> out = new HashSet<>();
    for (int i = 0; i < fakes.size(); i++) {
      FakeKvStore f = fakes.get(i);
      if (f.gets.stream().anyMatch(r -> r.getKey().equals(k))
          || f.puts.stream().anyMatch(r -> r.getKey().equals(k))
          || f.deletes.stream().anyMatch(r -> r.getKey().equals(k))) {
        out.add(i);
      }
    }
    return out;
  }

  private int statusCalls() {
    return fakes.stream().mapToInt(f -> f.statusCalls.size()).sum();
  }

  private void clearRequests() {
    fakes.forEach(f -> {
      f.gets.clear();
      f.puts.clear();
      f.deletes.clear();
    });
  }

  /** Puts, gets and deletes keys 0..count-1; returns those that reached a non-replica. */
  private List<Integer> misrouted(KvClient c, Ring r, int count) {
    List<Integer> wrong = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] k = key(i);
      c.put(k, "v".getBytes(UTF_8), Context.EMPTY);
      c.delete(k, c.get(k).context());
      if (!replicas(r, k).containsAll(receivers(k))) {
        wrong.add(i);
      }
    }
    return wrong;
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + 5 * SECOND;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting: " + what);
      Thread.sleep(10);
    }
  }

  @Test
  void everyGetPutAndDeleteGoesToAReplicaOfItsKey() {
    try (KvClient c = builder().build()) {
      assertEquals(List.of(), misrouted(c, ring, 40), "keys whose requests reached a non-replica");
      long used = fakes.stream().filter(f -> !f.puts.isEmpty()).count();
      assertTrue(used >= 2, "the keys' replicas differ, so do their nodes: " + used);
      assertEquals(1, c.ringEpoch());
    }
  }

  @Test
  void controlWithoutTokenAwarenessRequestsAlsoReachNonReplicas() {
    try (KvClient c = builder().tokenAware(false).build()) {
      assertTrue(misrouted(c, ring, 40).size() > 5, "routing by health alone ignores the ring");
      assertEquals(0, statusCalls(), "and asks for no ring");
    }
  }

  @Test
  void membersTheClientWasNotGivenAreNeverUsed() {
    try (KvClient c = builder().addresses(fakes.get(0).address(), fakes.get(1).address())
        .build()) {
      for (int i = 0; i < 30; i++) {
        byte[] k = key(i);
        c.put(k, "v".getBytes(UTF_8), Context.EMPTY);
        Set<Integer> known = replicas(ring, k);
        known.remove(2);
        Set<Integer> got = receivers(k);
        assertTrue(!got.isEmpty() && known.containsAll(got),
            "key" + i + ": " + got + ", not among its replicas given " + known);
      }
      assertTrue(fakes.get(2).puts.isEmpty());
    }
  }

  @Test
  void aReplicaThatCannotBeReachedIsSkippedForTheOtherReplicaThenForANonReplica()
      throws InterruptedException {
    byte[] k = keyWhere(r -> true);
    List<Integer> pref = ring.preferenceList(k, N).stream()
        .map(id -> Integer.parseInt(id.id().substring(1)) - 1).toList();
    int nonReplica = other(Set.copyOf(pref));
    try (KvClient c = builder().build()) {
      c.status(); // learns the ring
      fakes.get(pref.get(0)).stop();
      Thread.sleep(200); // the close of its connections reaches the client
      for (int i = 0; i < 6; i++) {
        c.put(k, "v".getBytes(UTF_8), Context.EMPTY);
      }
      assertEquals(6, fakes.get(pref.get(1)).puts.size(), "every put at the other replica");
      assertEquals(0, fakes.get(nonReplica).puts.size(), "none forwarded by a non-replica");

      fakes.get(pref.get(1)).stop();
      Thread.sleep(200);
      c.put(k, "v".getBytes(UTF_8), Context.EMPTY);
      assertEquals(1, fakes.get(nonReplica).puts.size(), "no replica left: any node");
    }
  }

  @Test
  void aHedgedReadGoesToTheKeysOtherReplicaBeforeANonReplica() {
    byte[] k = keyWhere(r -> true);
    Set<Integer> reps = replicas(ring, k);
    int nonReplica = other(reps);
    try (KvClient c = builder().hedgeDelay(Duration.ofMillis(30), Duration.ofMillis(30))
        .maxAttempts(2).build()) {
      c.status(); // learns the ring
      assertEquals(1, c.ringEpoch());
      reps.forEach(i -> fakes.get(i).delay(Duration.ofMillis(300)));
      c.get(k);
      assertEquals(reps, receivers(k), "the read and its hedge went to the two replicas");
      assertFalse(receivers(k).contains(nonReplica));
    }
  }

  @Test
  void theRingIsLearnedOnceThenFollowedToANewerEpochOnly() throws Exception {
    try (KvClient c = builder().build()) {
      assertEquals(List.of(), misrouted(c, ring, 20));
      assertEquals(1, statusCalls(), "learned once, at the first call");

      List<NodeId> owners = new ArrayList<>(ring.owners());
      java.util.Collections.rotate(owners, 1);
      Ring moved = Ring.fromAssignment(2, owners);
      serve(moved);
      clockOffset.addAndGet(RingTracker.REFRESH_NANOS + SECOND);
      c.get(key(0)); // starts the refresh, in the background
      await("epoch 2", () -> c.ringEpoch() == 2);
      assertEquals(2, statusCalls());
      clearRequests();
      assertEquals(List.of(), misrouted(c, moved, 20), "routed by the new ring");
      assertFalse(misrouted(c, ring, 20).isEmpty(), "which differs from the old one");

      Ring newer = Ring.fromAssignment(3, ring.owners());
      serve(newer);
      c.status(); // any status answer with a newer epoch is taken at once
      assertEquals(3, c.ringEpoch());

      serve(moved); // a node still on epoch 2 answers the next refresh
      clockOffset.addAndGet(RingTracker.REFRESH_NANOS + SECOND);
      c.get(key(0));
      await("the refresh", () -> statusCalls() == 4);
      Thread.sleep(50);
      assertEquals(3, c.ringEpoch(), "an older epoch does not replace a newer one");
    }
  }

  @Test
  void aStatusWithoutReplicasFromAnOlderNodeLeavesRoutingAsBefore() {
    for (int i = 0; i < 3; i++) {
      fakes.get(i).status(FakeKvStore.ringStatus("n" + (i + 1), ring, N, addresses).toBuilder()
          .clearPartitionReplicas().build());
    }
    byte[] k = keyWhere(r -> !r.contains(0));
    try (KvClient c = builder().random(() -> 0L).build()) {
      c.put(k, "v".getBytes(UTF_8), Context.EMPTY);
      assertEquals(Set.of(0), receivers(k), "as without a ring: the first address, no replica");
      for (int i = 0; i < 10; i++) {
        c.get(key(i));
      }
      assertEquals(-1, c.ringEpoch());
      assertEquals(1, statusCalls(), "asked again only at the next refresh");
    }
  }

  @Test
  void aFirstCallWaitsForTheRingAtMostOneHedgeDelayAndTheRingIsLearnedLater() throws Exception {
    fakes.get(0).pause(); // the first node asked for the ring does not answer
    try (KvClient c = builder().hedgeDelay(Duration.ofMillis(50), Duration.ofMillis(50))
        .build()) {
      long start = System.nanoTime();
      c.get(key(0));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis < 600, "not held up by the status call's 1 s deadline: " + millis + " ms");
      await("the ring, from the next node", () -> c.ringEpoch() == 1);
    }
  }

  @Test
  void thePartitionOfAKeyIsTheTopBitsOfItsMurmur3Hash() {
    // The test vector documented in kvstore.proto (ClusterStatusResponse.partition_replicas).
    byte[] hello = "hello".getBytes(UTF_8);
    assertEquals(0xcbd8a7b341bd9b02L, Partitioner.hashOf(hello));
    assertEquals(203, new Partitioner(256).partitionOf(hello));
    ClusterStatusResponse s = FakeKvStore.ringStatus("n1", ring, N, addresses);
    ReplicaMap m = ReplicaMap.of(s, List.copyOf(addresses.values()));
    int p = (int) (Partitioner.hashOf(hello) >>> (64 - 3));
    List<Integer> want = ring.preferenceList(p, N).stream()
        .map(id -> Integer.parseInt(id.id().substring(1)) - 1).toList();
    assertEquals(want, IntStream.of(m.replicasOf(hello)).boxed().toList());
  }
}
