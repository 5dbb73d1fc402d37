package io.kvstore.node.coord;

import static io.kvstore.node.coord.SimulatedCluster.failure;
import static io.kvstore.node.coord.SimulatedCluster.key;
import static io.kvstore.node.coord.SimulatedCluster.soon;
import static io.kvstore.node.coord.SimulatedCluster.values;
import static io.kvstore.node.coord.SimulatedCluster.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Deadline;
import io.kvstore.node.NodeError;
import io.kvstore.node.time.SimulatedTime;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's protocol over a simulated network (no sockets): quorum counting, forwarding
 * that retries only requests that never arrived, deadlines, and read repair (Dynamo 4.5, 4.7).
 */
class CoordinatorProtocolTest {
  @TempDir Path root;
  private SimulatedCluster cluster;
  private SimulatedNetwork net;
  private Ring ring;
  /** Nodes the simulated failure detector has convicted. */
  private java.util.Set<NodeId> convicted;
  private final List<NodeId> ids = new ArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = new SimulatedCluster(root);
    net = cluster.net;
    ring = cluster.ring;
    convicted = cluster.convicted;
    ids.addAll(cluster.ids);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  /** The nodes after the key's N primaries, in preference order. */
  private List<NodeId> fallbacks(byte[] k) {
    return cluster.fallbacks(k);
  }

  @Test
  void aWriteToADownPrimaryGoesToTheNextFallbackAsAHintAndCountsOnlyInItsPlace() {
    byte[] k = key("a");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    List<NodeId> fallbacks = fallbacks(k);
    Coordinator coord = net.coordinators.get(replicas.get(0));
    net.unreachable.add(replicas.get(2));
    WriteResult one = coord.write(write(k, "x", 2), soon(), false).join();
    assertEquals(0, one.sloppyAcks(), "two primaries acked");
    assertEquals(3, one.acks(), "and the first fallback took a hint for the third");
    assertEquals(List.of("x"), values(net.hints(fallbacks.get(0)).get(k)));
    assertTrue(net.stores.get(fallbacks.get(0)).read(k).isEmpty(), "never in its own data");
    assertEquals(1, cluster.events(replicas.get(0)).count(Retry.WRITE_FAILED),
        "the refused write was sent again, to the fallback: a retry");

    net.unreachable.add(replicas.get(1));
    WriteResult two = coord.write(write(k, "y", 2), soon(), false).join();
    assertEquals(1, two.sloppyAcks(), "W=2 reached through a fallback");
    assertEquals(List.of("x", "y"), values(net.hints(fallbacks.get(1)).get(k)).stream().sorted()
        .toList(), "the second fallback holds the state as a hint for the second primary");
    // A sloppy read asks the fallbacks in place of the down primaries and sees the hints.
    ReadResult read = coord.read(k, 2, 0, soon()).join();
    assertEquals(1, read.sloppyReplies());
    assertEquals(List.of("x", "y"), read.merged().liveValues().stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).sorted().toList());

    // No node left to stand in: the quorum fails, naming what failed.
    fallbacks.forEach(net.unreachable::add);
    NodeError e = failure(coord.write(write(k, "z", 2), soon(), false));
    assertEquals(NodeError.Code.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("of 5 nodes acknowledged the write, 2 required"),
        e.getMessage());
  }

  @Test
  void replicasTheDetectorConvictedAreNotAskedAndPwFailsBeforeWriting() {
    byte[] k = key("f");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    Coordinator coord = net.coordinators.get(replicas.get(0));
    // Silent and convicted: asking it would hold the request until its deadline.
    net.silent.add(replicas.get(2));
    convicted.add(replicas.get(2));
    long start = System.nanoTime();
    assertEquals(0, coord.write(write(k, "x", 2), soon(), false).join().sloppyAcks());
    assertEquals(0, coord.read(k, 2, 0, soon()).join().sloppyReplies());
    assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500));
    assertEquals(null, net.writesReceived.get(replicas.get(2)), "a down replica is not sent to");

    convicted.add(replicas.get(1));
    WriteRequest pw2 = new WriteRequest(k, Value.of("y".getBytes(StandardCharsets.UTF_8)),
        VersionVector.EMPTY, 2, 2);
    NodeError e = failure(coord.write(pw2, soon(), false));
    assertEquals(NodeError.Code.UNAVAILABLE, e.code());
    assertTrue(e.notApplied(), "nothing was written: the client may move the write on");
    assertTrue(e.getMessage().contains("1 of 3 replicas are up (and 2 fallback nodes), 2 "
        + "required for the write, 2 of them primary; down per the failure detector: ["
        + replicas.get(1).id() + ", " + replicas.get(2).id() + "]"), e.getMessage());
    assertEquals(List.of("x"), values(net.stores.get(replicas.get(0)).read(k)),
        "nothing written locally");
    fallbacks(k).forEach(convicted::add);
    NodeError r = failure(coord.read(k, 2, 0, soon()));
    assertTrue(r.getMessage().contains("required for the read"), r.getMessage());
  }

  @Test
  void aReplicaSlowerThanThePerReplicaTimeoutIsReplacedByAFallbackNotWaitedFor() {
    byte[] k = key("g");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    SimulatedTime time = new SimulatedTime();
    Coordinator coord = cluster.coordinator(replicas.get(0), time, 100);
    net.silent.add(replicas.get(1));
    net.silent.add(replicas.get(2));
    var write = coord.write(write(k, "x", 2), time.deadlineAfter(5_000), false);
    time.advance(99);
    assertFalse(write.isDone(), "the local ack alone is not W=2; the replicas are not late yet");
    time.advance(1);
    assertEquals(1, write.join().sloppyAcks(), "a fallback stood in for a slow primary");
    assertEquals(2, cluster.events(replicas.get(0)).count(Retry.WRITE_SLOW), "one per replica");

    // Slow fallbacks too: each timeout replaces what is late, and then nothing is left.
    fallbacks(k).forEach(net.silent::add);
    var stuck = coord.write(write(k, "y", 2), time.deadlineAfter(5_000), false);
    time.advance(100);
    assertFalse(stuck.isDone(), "the fallbacks were just asked");
    time.advance(100);
    NodeError e = failure(stuck);
    assertEquals(NodeError.Code.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("no answer within 100 ms"), e.getMessage());
    // With one silent replica the other two make the quorum at once, on no clock at all.
    fallbacks(k).forEach(net.silent::remove);
    net.silent.remove(replicas.get(1));
    assertEquals(0, coord.read(k, 2, 0, time.deadlineAfter(5_000)).join().sloppyReplies());
    // And the deadline, on the same simulated clock, is DEADLINE_EXCEEDED.
    net.silent.add(replicas.get(1));
    fallbacks(k).forEach(net.silent::add);
    var late = coord.read(k, 2, 0, time.deadlineAfter(50));
    time.advance(50);
    assertEquals(NodeError.Code.DEADLINE_EXCEEDED, failure(late).code());
  }

  @Test
  void forwardingSkipsAReplicaTheDetectorConvicted() {
    byte[] k = key("h");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    NodeId outsider = ids.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
    net.silent.add(replicas.get(0));
    convicted.add(replicas.get(0));
    WriteResult r = net.coordinators.get(outsider).write(write(k, "x", 2), soon(), false).join();
    assertEquals(0, r.sloppyAcks(), "two primaries acked");
    assertEquals(null, net.forwardsSent.get(replicas.get(0)), "the convicted replica was tried");
  }

  @Test
  void aSilentReplicaMakesTheQuorumFailAtTheDeadline() {
    byte[] k = key("b");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    net.silent.add(replicas.get(1));
    net.silent.add(replicas.get(2));
    long start = System.nanoTime();
    NodeError e = failure(net.coordinators.get(replicas.get(0))
        .write(write(k, "x", 2), Deadline.after(300, TimeUnit.MILLISECONDS), false));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    assertEquals(NodeError.Code.DEADLINE_EXCEEDED, e.code());
    assertTrue(e.getMessage().contains("within the deadline"), e.getMessage());
    assertTrue(ms >= 250 && ms < 2000, "failed after " + ms + " ms");
  }

  @Test
  void forwardingSkipsUnreachableReplicasButNeverRetriesOneThatProcessedTheWrite() {
    byte[] k = key("c");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    NodeId outsider = ids.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
    net.unreachable.add(replicas.get(0));
    WriteResult r = net.coordinators.get(outsider).write(write(k, "x", 2), soon(), false).join();
    assertEquals(0, r.sloppyAcks());
    assertEquals(1, net.forwardsReceived.get(replicas.get(1)).get(), "second replica coordinated");
    // Now the second replica processes the write but cannot reach its quorum (no other node
    // answers, fallbacks included): no retry elsewhere.
    ids.stream().filter(id -> !id.equals(replicas.get(1))).forEach(net.unreachable::add);
    NodeError e = failure(net.coordinators.get(outsider).write(write(k, "y", 3), soon(), false));
    assertTrue(e.getMessage().contains("quorum not reached"), e.getMessage());
    assertEquals(2, net.forwardsReceived.get(replicas.get(1)).get());
    assertEquals(null, net.forwardsReceived.get(replicas.get(2)), "must not retry a processed write");
  }

  @Test
  void aForwardedWriteToANonReplicaIsRefused() {
    byte[] k = key("d");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    NodeId outsider = ids.stream().filter(id -> !replicas.contains(id)).findFirst().orElseThrow();
    NodeError e = failure(net.coordinators.get(outsider).write(write(k, "x", 2), soon(), true));
    assertEquals(NodeError.Code.FAILED_PRECONDITION, e.code());
  }

  @Test
  void readAnswersAfterRAndRepairsTheStaleReplica() throws Exception {
    byte[] k = key("e");
    List<NodeId> replicas = ring.preferenceList(k, 3);
    net.unreachable.add(replicas.get(2));
    net.coordinators.get(replicas.get(0)).write(write(k, "v", 2), soon(), false).join();
    net.unreachable.clear();
    assertTrue(net.stores.get(replicas.get(2)).read(k).isEmpty());
    // A read asks only R replicas, itself first: the stale replica coordinates so that it is
    // among them (when every replica was asked, this read went through replicas.get(1)).
    ReadResult r = net.coordinators.get(replicas.get(2)).read(k, 2, 0, soon()).join();
    assertEquals(1, r.merged().liveValues().size());
    // Repair runs after all replies; the network is synchronous, so it is done or about to be.
    for (int i = 0; i < 50 && net.stores.get(replicas.get(2)).read(k).isEmpty(); i++) {
      Thread.sleep(20);
    }
    SiblingSet repaired = net.stores.get(replicas.get(2)).read(k).orElseThrow();
    assertEquals(r.merged(), repaired);
  }
}
