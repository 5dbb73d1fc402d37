package io.kvstore.node.coord;

import static io.kvstore.node.coord.SimulatedCluster.key;
import static io.kvstore.node.coord.SimulatedCluster.soon;
import static io.kvstore.node.coord.SimulatedCluster.values;
import static io.kvstore.node.coord.SimulatedCluster.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.node.time.SimulatedTime;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the coordinator reports to its listener (the metrics' source), over a simulated network:
 * a retry is a replica request sent again because one failed, was slow, or answered with a
 * digest that matched nothing; replacing a replica the failure detector sees down is no retry; a
 * forward is counted where it is sent and where it arrives; a read repair is counted when it is
 * attempted and again when it fails; a repair the full queue turns away is counted as dropped.
 */
class CoordinatorEventsTest {
  @TempDir Path root;
  private SimulatedCluster c;
  private SimulatedNetwork net;

  @BeforeEach
  void setUp() {
    c = new SimulatedCluster(root);
    net = c.net;
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  @Test
  void aReplicaThatFailsAWriteIsRetriedOnAFallback() {
    byte[] k = key("w-failed");
    List<NodeId> rep = c.replicas(k);
    net.unreachable.add(rep.get(2));
    net.coordinators.get(rep.get(0)).write(write(k, "x", 3), soon(), false).join();
    CountingListener events = c.events(rep.get(0));
    assertEquals(1, events.count(Retry.WRITE_FAILED));
    assertEquals(1, events.retries());
    assertEquals(1, events.count("hintedWrite"));
  }

  @Test
  void aDownReplicaReplacedByAFallbackFromTheStartIsNoRetry() {
    byte[] k = key("w-down");
    List<NodeId> rep = c.replicas(k);
    c.convicted.add(rep.get(2));
    net.coordinators.get(rep.get(0)).write(write(k, "x", 3), soon(), false).join();
    CountingListener events = c.events(rep.get(0));
    assertEquals(1, events.count("hintedWrite"), "a hint for the down replica");
    assertEquals(0, events.retries(), "but nothing was sent twice");
  }

  @Test
  void aReplicaSlowerThanThePerReplicaTimeoutIsRetriedOnAFallback() {
    byte[] k = key("w-slow");
    List<NodeId> rep = c.replicas(k);
    SimulatedTime time = new SimulatedTime();
    Coordinator coord = c.coordinator(rep.get(0), time, 100);
    net.silent.add(rep.get(1));
    var write = coord.write(write(k, "x", 3), time.deadlineAfter(5_000), false);
    time.advance(99);
    assertEquals(0, c.events(rep.get(0)).retries(), "not late yet");
    time.advance(1);
    assertEquals(1, write.join().sloppyAcks());
    assertEquals(1, c.events(rep.get(0)).count(Retry.WRITE_SLOW));
    assertEquals(1, c.events(rep.get(0)).retries());
  }

  @Test
  void aReplicaThatFailsAReadIsRetriedOnThePrimaryNotYetAsked() {
    byte[] k = key("r-failed");
    List<NodeId> rep = writtenEverywhere(k);
    net.unreachable.add(rep.get(1));
    net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_FAILED));
    assertEquals(1, c.events(rep.get(0)).retries());
  }

  @Test
  void aSlowReadReplicaIsRetriedOnThePrimaryNotYetAsked() {
    byte[] k = key("r-slow");
    List<NodeId> rep = writtenEverywhere(k);
    SimulatedTime time = new SimulatedTime();
    Coordinator coord = c.coordinator(rep.get(0), time, 100);
    net.silent.add(rep.get(1));
    var read = coord.read(k, 2, 0, time.deadlineAfter(5_000));
    time.advance(100);
    read.join();
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_SLOW));
    assertEquals(1, c.events(rep.get(0)).retries());
  }

  @Test
  void aDigestThatMatchesNoOtherAnswerCostsAFullReadAndIsCounted() {
    byte[] k = key("r-digest");
    List<NodeId> rep = writtenEverywhere(k);
    Coordinator coord = net.coordinators.get(rep.get(0));
    coord.read(k, 2, 0, soon()).join();
    assertEquals(0, c.events(rep.get(0)).retries(), "every digest matched");
    // A concurrent write only the second replica has: its digest now differs.
    net.stores.get(rep.get(1)).merge(k, SiblingSet.EMPTY.put(bytes("other"),
        VersionVector.EMPTY, new Actor("elsewhere", 1)));
    ReadResult r = coord.read(k, 2, 0, soon()).join();
    assertEquals(List.of("other", "v"), values(r.merged()));
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_DIGEST_MISMATCH));
    assertEquals(1, c.events(rep.get(0)).retries());
  }

  @Test
  void aForwardIsCountedWhereSentAndWhereReceivedAndResentOnlyIfItNeverArrived() {
    byte[] k = key("fwd");
    List<NodeId> rep = c.replicas(k);
    NodeId outsider = c.outsider(k);
    net.coordinators.get(outsider).write(write(k, "x", 2), soon(), false).join();
    assertEquals(1, c.events(outsider).count("forwardSent"));
    assertEquals(0, c.events(outsider).retries());
    assertEquals(1, c.events(rep.get(0)).count("forwardReceived"));

    net.unreachable.add(rep.get(0));
    net.coordinators.get(outsider).write(write(k, "y", 2), soon(), false).join();
    assertEquals(3, c.events(outsider).count("forwardSent"), "to the first replica, then the next");
    assertEquals(1, c.events(outsider).count(Retry.FORWARD_NOT_REACHED));
    assertEquals(1, c.events(rep.get(1)).count("forwardReceived"));
  }

  @Test
  void aReadRepairIsCountedWhenAttemptedAndAgainWhenItFails() {
    byte[] k = key("repair");
    List<NodeId> rep = c.replicas(k);
    net.unreachable.add(rep.get(2));
    net.coordinators.get(rep.get(0)).write(write(k, "x", 2), soon(), false).join();
    net.unreachable.remove(rep.get(2)); // it missed the write, and now cannot take one
    net.failingWrites.add(rep.get(2));
    net.coordinators.get(rep.get(0)).read(k, 3, 0, soon()).join();
    CountingListener events = c.events(rep.get(0));
    assertEquals(1, events.count("readRepair"), "the replica that missed the write");
    assertEquals(1, events.count("readRepairFailed"));
    assertEquals(List.of(), c.stored(rep.get(2), k).map(SimulatedCluster::values).orElse(List.of()));

    net.failingWrites.clear();
    net.coordinators.get(rep.get(0)).read(k, 3, 0, soon()).join();
    assertEquals(2, events.count("readRepair"));
    assertEquals(1, events.count("readRepairFailed"), "this time it took");
    assertEquals(List.of("x"), values(c.stored(rep.get(2), k)));
  }

  @Test
  void aRepairTheFullQueueTurnsAwayIsCountedAsDroppedButNotAfterShutdown() throws Exception {
    CountingListener events = new CountingListener();
    ExecutorService queue = RepairQueue.create("n1", 1, Thread::new, events);
    CountDownLatch busy = new CountDownLatch(1);
    queue.execute(() -> await(busy)); // runs, and holds the one thread
    queue.execute(() -> { });         // waits in the queue of one
    queue.execute(() -> { });         // finds it full
    assertEquals(1, events.count("readRepairDropped"));
    busy.countDown();
    queue.shutdown();
    queue.execute(() -> { });
    assertEquals(1, events.count("readRepairDropped"), "a node stopping drops repairs quietly");
    queue.awaitTermination(10, TimeUnit.SECONDS);
  }

  /** The key's replicas, after a write of "v" that reached all three. */
  private List<NodeId> writtenEverywhere(byte[] k) {
    List<NodeId> rep = c.replicas(k);
    net.coordinators.get(rep.get(0)).write(write(k, "v", 3), soon(), false).join();
    return rep;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
