package io.kvstore.node.coord;

import static io.kvstore.node.coord.SimulatedCluster.key;
import static io.kvstore.node.coord.SimulatedCluster.soon;
import static io.kvstore.node.coord.SimulatedCluster.values;
import static io.kvstore.node.coord.SimulatedCluster.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.ring.NodeId;
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
 * replacing a replica the failure detector sees down is no retry (retries, a replica request sent
 * again because one failed, was slow or sent a digest that matched nothing, are checked with
 * their scenarios in CoordinatorProtocolTest and DigestReadTest); a forward is counted where it
 * is sent and where it arrives, and a resend only when it never arrived; a read repair is counted
 * when it is attempted and again when it fails; a repair the full queue turns away is counted as
 * dropped.
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

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
