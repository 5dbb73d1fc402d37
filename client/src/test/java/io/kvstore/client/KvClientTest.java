package io.kvstore.client;

import static io.kvstore.client.TestClients.client;
import static io.kvstore.client.TestClients.firstChoice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.ReplicationDefaults;
import io.kvstore.proto.RingInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KvClient against fake servers on localhost: results, failover, hedging, deadlines, error codes. */
class KvClientTest {
  private FakeKvStore server;

  @BeforeEach
  void start() {
    server = new FakeKvStore();
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> texts(GetResult r) {
    return r.siblings().stream().map(v -> new String(v, UTF_8)).sorted().toList();
  }

  @Test
  void putThenGetReturnsTheValueAndContextAndSendsTheOptions() {
    try (KvClient c = client(server.address())) {
      PutResult put = c.put(b("k"), b("v1"), Context.EMPTY, new WriteOptions(3, 1));
      assertEquals(2, put.acks());
      assertFalse(put.context().isEmpty());
      assertEquals(3, server.puts.get(0).getOptions().getW());
      assertEquals(1, server.puts.get(0).getOptions().getPw());
      assertTrue(server.puts.get(0).getContext().isEmpty(), "no context: a blind write");

      GetResult get = c.get(b("k"), new ReadOptions(2, 1));
      assertTrue(get.found());
      assertFalse(get.deleted());
      assertEquals(List.of("v1"), texts(get));
      assertEquals(put.context(), get.context());
      assertEquals(2, get.replies());
      assertEquals(2, server.gets.get(0).getOptions().getR());
      assertEquals(1, server.gets.get(0).getOptions().getPr());
    }
  }

  @Test
  void aMissingKeyIsNotAnError() {
    try (KvClient c = client(server.address())) {
      GetResult get = c.get(b("nothing"));
      assertFalse(get.found());
      assertFalse(get.deleted());
      assertTrue(get.siblings().isEmpty());
      assertEquals(Context.EMPTY, get.context());
    }
  }

  @Test
  void aDeleteWithTheReadContextLeavesOnlyATombstone() {
    try (KvClient c = client(server.address())) {
      c.put(b("k"), b("v"), Context.EMPTY);
      GetResult read = c.get(b("k"));
      assertEquals(2, c.delete(b("k"), read.context()).acks());
      assertArrayEquals(read.context().toBytes(), server.deletes.get(0).getContext().toByteArray());
      GetResult after = c.get(b("k"));
      assertFalse(after.found());
      assertTrue(after.deleted());
    }
  }

  @Test
  void readsAndWritesFailOverToTheNextAddressWhenANodeCannotBeReached() {
    try (KvClient c = firstChoice(FakeKvStore.closedAddress(), server.address()).build()) {
      // The first call starts at the closed port, moves on, and leaves it suspect.
      for (int i = 0; i < 4; i++) {
        c.put(b("k" + i), b("v"), Context.EMPTY);
        assertTrue(c.get(b("k" + i)).found());
      }
      assertEquals(4, server.puts.size(), "each put reached the live node exactly once");
      assertEquals(NodeHealth.Rank.SUSPECT, c.selector().rank(0));
    }
  }

  @Test
  void noReachableNodeGivesUnavailableNamingTheNodes() {
    String a = FakeKvStore.closedAddress();
    String b = FakeKvStore.closedAddress();
    try (KvClient c = client(a, b)) {
      KvException e = assertThrows(KvException.class, () -> c.get(b("k")));
      assertEquals(KvException.Code.UNAVAILABLE, e.code());
      assertTrue(e.unreachable());
      assertTrue(e.getMessage().startsWith("cannot reach any node of "), e.getMessage());
      assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
      assertTrue(e.getMessage().contains("(UNAVAILABLE"), e.getMessage());
      // A channel in backoff fails fast with the same classification.
      assertTrue(assertThrows(KvException.class, () -> c.put(b("k"), b("v"), Context.EMPTY))
          .unreachable());
    }
  }

  @Test
  void aReadAnsweredUnavailableMovesOnAndThatNodeIsPassedOverForAProbeInterval() throws Exception {
    try (FakeKvStore other = new FakeKvStore();
        KvClient c = firstChoice(server.address(), other.address()).build()) {
      server.failWith("get", Status.UNAVAILABLE.withDescription("quorum not reached"));
      for (int i = 0; i < 2; i++) {
        assertFalse(c.get(b("k")).found());
      }
      assertEquals(1, server.gets.size(), "tried first once, then passed over");
      assertEquals(2, other.gets.size());
    }
  }

  @Test
  void aWriteAnsweredUnavailableIsNotRetriedByDefault() throws Exception {
    try (FakeKvStore other = new FakeKvStore(); KvClient c = client(server.address(), other.address())) {
      Status quorum = Status.UNAVAILABLE.withDescription("quorum not reached: 1 of W=2 replicas acked");
      server.failWith("put", quorum);
      other.failWith("put", quorum);
      KvException e = assertThrows(KvException.class, () -> c.put(b("k"), b("v"), Context.EMPTY));
      assertEquals(KvException.Code.UNAVAILABLE, e.code());
      assertFalse(e.unreachable());
      assertTrue(e.getMessage().contains("quorum not reached: 1 of W=2"), e.getMessage());
      assertEquals(1, server.puts.size() + other.puts.size(), "a possibly applied write is sent once");
    }
  }

  @Test
  void aWriteRefusedBeforeAnythingWasWrittenMovesOnToTheNextNode() throws Exception {
    try (FakeKvStore other = new FakeKvStore();
        KvClient c = firstChoice(server.address(), other.address()).build()) {
      Metadata trailers = new Metadata();
      trailers.put(Metadata.Key.of("kv-not-applied", Metadata.ASCII_STRING_MARSHALLER), "1");
      server.failWith("put", Status.UNAVAILABLE.withDescription("quorum not reachable: 1 of 3 "
          + "replicas are up, 2 required for the write"), trailers);
      assertEquals(2, c.put(b("k"), b("v"), Context.EMPTY).acks());
      assertEquals(1, server.puts.size());
      assertEquals(1, other.puts.size(), "nothing was applied: safe to send elsewhere");
    }
  }

  @Test
  void retryWritesOnUnavailableSendsTheWriteToTheNextNodeWithTheSameContext() throws Exception {
    try (FakeKvStore other = new FakeKvStore();
        KvClient c = firstChoice(server.address(), other.address())
            .retryWritesOnUnavailable(true).build()) {
      server.failWith("put", Status.UNAVAILABLE.withDescription("quorum not reached"));
      Context ctx = Context.of(new byte[] {0, 0, 0, 0, 0, 0, 0, 1});
      for (int i = 0; i < 2; i++) {
        assertEquals(2, c.put(b("k"), b("v"), ctx).acks());
      }
      assertEquals(1, server.puts.size(), "tried first once, then passed over");
      assertEquals(2, other.puts.size());
      other.puts.forEach(p -> assertArrayEquals(ctx.toBytes(), p.getContext().toByteArray()));
    }
  }

  @Test
  void aWriteThatTimesOutIsNotRetriedAndAReadIsHedgedOnceBeforeItsDeadline() throws Exception {
    try (FakeKvStore other = new FakeKvStore();
        KvClient c = KvClient.builder().addresses(server.address(), other.address())
            .timeout(Duration.ofMillis(200)).build()) {
      server.delay(Duration.ofSeconds(2));
      other.delay(Duration.ofSeconds(2));
      long start = System.nanoTime();
      KvException put = assertThrows(KvException.class, () -> c.put(b("k"), b("v"), Context.EMPTY));
      KvException get = assertThrows(KvException.class, () -> c.get(b("k")));
      long millis = (System.nanoTime() - start) / 1_000_000;
      for (KvException e : List.of(put, get)) {
        assertEquals(KvException.Code.DEADLINE_EXCEEDED, e.code());
        assertEquals(Status.Code.DEADLINE_EXCEEDED, e.grpcCode());
      }
      assertTrue(millis < 1500, "the deadlines bounded the calls: " + millis + " ms");
      assertEquals(1, server.puts.size() + other.puts.size(), "a write is sent once");
      assertEquals(2, server.gets.size() + other.gets.size(), "a read is hedged to the other node");
    }
  }

  @Test
  void serverStatusCodesAreMappedWithTheServerMessage() {
    record Case(Status.Code grpc, KvException.Code ours) {}
    List<Case> cases = List.of(
        new Case(Status.Code.INVALID_ARGUMENT, KvException.Code.INVALID_ARGUMENT),
        new Case(Status.Code.FAILED_PRECONDITION, KvException.Code.FAILED_PRECONDITION),
        new Case(Status.Code.RESOURCE_EXHAUSTED, KvException.Code.RESOURCE_EXHAUSTED),
        new Case(Status.Code.INTERNAL, KvException.Code.INTERNAL),
        new Case(Status.Code.UNAUTHENTICATED, KvException.Code.UNAUTHENTICATED),
        new Case(Status.Code.PERMISSION_DENIED, KvException.Code.PERMISSION_DENIED),
        new Case(Status.Code.UNIMPLEMENTED, KvException.Code.OTHER));
    try (KvClient c = client(server.address())) {
      for (Case k : cases) {
        server.failWith("put", Status.fromCode(k.grpc()).withDescription("told by server"));
        KvException e = assertThrows(KvException.class, () -> c.put(b("k"), b("v"), Context.EMPTY));
        assertEquals(k.ours(), e.code());
        assertEquals(k.grpc(), e.grpcCode());
        assertEquals("told by server", e.description());
        assertEquals(server.address(), e.address());
        assertTrue(e.getMessage().startsWith(k.grpc() + ": told by server"), e.getMessage());
      }
    }
  }

  @Test
  void statusDescribesMembersRingAndDefaults() {
    server.status(ClusterStatusResponse.newBuilder().setNodeId("n1")
        .addMembers(Member.newBuilder().setNodeId("n1").setAddress("a:1")
            .setStatus(MemberStatus.MEMBER_STATUS_UP).setPartitionsOwned(128).setIncarnation(4)
            .setIsSelf(true).setLastHeartbeatAgeMillis(-1))
        .addMembers(Member.newBuilder().setNodeId("n2").setAddress("b:2")
            .setStatus(MemberStatus.MEMBER_STATUS_DOWN).setPartitionsOwned(128).setIncarnation(3)
            .setPhi(12.5).setLastHeartbeatAgeMillis(6200).setConvictions(1))
        .setRing(RingInfo.newBuilder().setPartitionCount(256).setEpoch(7))
        .setDefaults(ReplicationDefaults.newBuilder().setN(3).setR(2).setW(2))
        .setHints(io.kvstore.proto.HintSummary.newBuilder()
            .addQueues(io.kvstore.proto.HintQueue.newBuilder().setTargetNodeId("n2").setHints(5)
                .setBytes(700).setOldestAgeMillis(6000).setNeedsRepair(true))
            .setDelivered(9).setDeliveredBytes(900).setExpired(1).setWindowMillis(10_800_000)
            .setCorrupt(2).setTorn(3).setReplayHintsPerSecond(1.5).setReplayBytesPerSecond(150))
        .setAntiEntropy(io.kvstore.proto.AntiEntropySummary.newBuilder().setPartitions(2)
            .setTreesBuilt(1).setExchanges(40).setExchangeFailures(2).setKeysRepaired(7)
            .setBytesSent(1000).setBytesReceived(2000).setRebuilds(1).setTombstonesPurged(4)
            .setOldestFullExchangeAgeMillis(-1)
            .addPartitionStates(io.kvstore.proto.PartitionRepair.newBuilder().setPartition(3)
                .setTreeBuilt(true).setFullExchangeAgeMillis(9000))
            .addPartitionStates(io.kvstore.proto.PartitionRepair.newBuilder().setPartition(9)
                .setFullExchangeAgeMillis(-1)))
        .build());
    try (KvClient c = client(server.address())) {
      ClusterStatus s = c.status();
      assertEquals(new ClusterStatus("n1", List.of(
          new ClusterStatus.Member("n1", "a:1", ClusterStatus.MemberStatus.UP, 128, 4, true, 0,
              -1, 0),
          new ClusterStatus.Member("n2", "b:2", ClusterStatus.MemberStatus.DOWN, 128, 3, false,
              12.5, 6200, 1)),
          256, 7, 3, 2, 2, new ClusterStatus.Hints(
              List.of(new ClusterStatus.HintQueue("n2", 5, 700, 6000, true)), 9, 900, 1,
              10_800_000, 2, 3, 1.5, 150),
          new ClusterStatus.AntiEntropy(2, 1, 40, 2, 7, 1000, 2000, 1, 4, -1, List.of(
              new ClusterStatus.PartitionState(3, true, 9000),
              new ClusterStatus.PartitionState(9, false, -1)))), s);
    }
  }

  @Test
  void statusWithoutAntiEntropyFromAnOlderNodeIsNone() {
    server.status(ClusterStatusResponse.newBuilder().setNodeId("n1").build());
    try (KvClient c = client(server.address())) {
      assertEquals(ClusterStatus.AntiEntropy.NONE, c.status().antiEntropy());
    }
  }

  @Test
  void aStatusBuiltWithoutAntiEntropyHasNone() {
    // The constructor of the shape before anti-entropy (cluster-tests builds statuses with it).
    ClusterStatus s = new ClusterStatus("n1", List.of(), 8, 1, 3, 2, 2, ClusterStatus.Hints.NONE);
    assertEquals(ClusterStatus.AntiEntropy.NONE, s.antiEntropy());
  }

  @Test
  void stalestPartitionsAreTheNeverExchangedFirstThenTheOldest() {
    var ae = new ClusterStatus.AntiEntropy(5, 5, 0, 0, 0, 0, 0, 0, 0, -1, List.of(
        new ClusterStatus.PartitionState(0, true, 100),
        new ClusterStatus.PartitionState(1, true, -1),
        new ClusterStatus.PartitionState(2, true, 5000),
        new ClusterStatus.PartitionState(3, true, -1),
        new ClusterStatus.PartitionState(4, true, 100)));
    assertEquals(List.of(1, 3, 2, 0), ae.stalest(4).stream()
        .map(ClusterStatus.PartitionState::partition).toList());
    assertEquals(5, ae.stalest(10).size());
  }

  @Test
  void updateResolvesSiblingsAndWritesBackWithTheReadContext() {
    try (KvClient c = client(server.address())) {
      c.put(b("k"), b("a"), Context.EMPTY);
      c.put(b("k"), b("b"), Context.EMPTY); // blind: a sibling of "a"
      GetResult before = c.get(b("k"));
      assertEquals(List.of("a", "b"), texts(before));

      List<Integer> resolverSaw = new ArrayList<>();
      Resolver union = siblings -> {
        resolverSaw.add(siblings.size());
        return b(String.join(",", siblings.stream().map(v -> new String(v, UTF_8)).sorted().toList()));
      };
      PutResult r = c.update(b("k"), union, current -> b(new String(current, UTF_8) + "+c"));

      assertEquals(List.of(2), resolverSaw);
      assertArrayEquals(before.context().toBytes(), server.puts.get(2).getContext().toByteArray());
      GetResult after = c.get(b("k"));
      assertEquals(List.of("a,b+c"), texts(after));
      assertEquals(r.context(), after.context());
    }
  }

  @Test
  void updateOfAMissingKeyPassesNullAndWritesBlind() {
    try (KvClient c = client(server.address())) {
      Resolver never = siblings -> {
        throw new AssertionError("no siblings to resolve");
      };
      List<byte[]> seen = new ArrayList<>();
      c.update(b("new"), never, current -> {
        seen.add(current);
        return b("first");
      });
      assertEquals(1, seen.size());
      assertNull(seen.get(0));
      assertTrue(server.puts.get(0).getContext().isEmpty());
      assertEquals(List.of("first"), texts(c.get(b("new"))));
    }
  }

  @Test
  void builderRejectsBadSettingsNamingThem() {
    assertThrows(IllegalArgumentException.class, () -> KvClient.builder().build());
    for (String bad : List.of("nohost", "h:0", "h:65536", "h:x", ":7001", "h:", "::1:7001")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> KvClient.builder().addresses(bad).build());
      assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class,
        () -> KvClient.builder().addresses("h:1").timeout(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> KvClient.builder().maxAttempts(0));
    assertThrows(IllegalArgumentException.class, () -> KvClient.builder().addresses("h:1")
        .hedgeDelay(Duration.ofMillis(50), Duration.ofMillis(10)).build());
    assertThrows(IllegalArgumentException.class, () -> KvClient.builder().addresses("h:1")
        .probeInterval(Duration.ZERO).build());
    KvClient.builder().addresses("[::1]:7001", "localhost:7002").build().close();
  }
}
