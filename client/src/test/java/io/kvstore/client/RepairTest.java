package io.kvstore.client;

import static io.kvstore.client.FakeAdmin.exchange;
import static io.kvstore.client.FakeAdmin.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** KvClient.repair against fake Admin services: streaming, totals, one node only, errors. */
class RepairTest {
  private FakeKvStore n1;
  private FakeKvStore n2;

  @BeforeEach
  void start() {
    n1 = new FakeKvStore();
    n2 = new FakeKvStore();
  }

  @AfterEach
  void stop() {
    n1.close();
    n2.close();
  }

  private static KvClient client(String... addresses) {
    return KvClient.builder().addresses(addresses).timeout(Duration.ofSeconds(5)).build();
  }

  @Test
  void eachExchangeReachesTheListenerAsItFinishesThenTheTotalsAreReturned() {
    n1.admin.script(req -> List.of(
        exchange(17, "n3", 2, 5, 1200, 800, 40),
        exchange(18, "n3", 0, 0, 96, 96, 3),
        failed(19, "n3", "peer n3 is down")));
    CountDownLatch firstSeen = new CountDownLatch(1);
    n1.admin.holdAfterFirst(firstSeen);
    List<RepairProgress> seen = new ArrayList<>();
    RepairResult result;
    try (KvClient c = client(n1.address())) {
      result = c.repair(n1.address(), RepairOptions.ALL.withPartitions(List.of(17, 18, 19))
          .withPeer("n3"), p -> {
            seen.add(p);
            firstSeen.countDown();
          });
    }
    assertFalse(n1.admin.heldTooLong(), "the first exchange arrived while the stream was open");
    assertEquals(List.of(
        new RepairProgress(17, "n3", 2, 5, 1200, 800, 40, "", 1, 3),
        new RepairProgress(18, "n3", 0, 0, 96, 96, 3, "", 2, 3),
        new RepairProgress(19, "n3", 0, 0, 0, 0, 1, "peer n3 is down", 3, 3)), seen);
    assertFalse(seen.get(0).identical());
    assertTrue(seen.get(1).identical());
    assertTrue(seen.get(2).failed() && !seen.get(2).identical());
    assertEquals(new RepairResult(3, 1, 2, 5, 1296, 896, 44), result);
    assertFalse(result.complete());
    assertEquals(List.of(17, 18, 19), n1.admin.repairs.get(0).getPartitionsList());
    assertEquals("n3", n1.admin.repairs.get(0).getPeerNodeId());
  }

  @Test
  void aRepairGoesToTheNamedNodeOnlyAndAnotherAddressIsRefused() {
    try (KvClient c = client(n1.address(), n2.address())) {
      RepairResult r = c.repair(" " + n2.address(), p -> {});
      assertEquals(new RepairResult(0, 0, 0, 0, 0, 0, 0), r);
      assertTrue(r.complete());
      assertEquals(1, n2.admin.repairs.size());
      assertEquals(0, n1.admin.repairs.size());
      assertEquals("", n2.admin.repairs.get(0).getPeerNodeId());
      assertEquals(List.of(), n2.admin.repairs.get(0).getPartitionsList());

      String other = FakeKvStore.closedAddress();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> c.repair(other, p -> {}));
      assertTrue(e.getMessage().contains("'" + other + "' is not an address of this client"),
          e.getMessage());
    }
  }

  @Test
  void aRefusedRepairIsAKvExceptionWithTheServerMessage() {
    n1.admin.failWith(Status.INVALID_ARGUMENT.withDescription("partition 300 outside 0..255"));
    try (KvClient c = client(n1.address())) {
      KvException e = assertThrows(KvException.class, () -> c.repair(n1.address(),
          RepairOptions.ALL.withPartitions(List.of(300)), p -> {}));
      assertEquals(KvException.Code.INVALID_ARGUMENT, e.code());
      assertEquals("partition 300 outside 0..255", e.description());
      assertEquals("INVALID_ARGUMENT: partition 300 outside 0..255 (node " + n1.address() + ")",
          e.getMessage());
      assertEquals(n1.address(), e.address());
      assertFalse(e.unreachable());
    }
  }

  @Test
  void anUnreachableNodeIsReportedAsSuch() {
    String closed = FakeKvStore.closedAddress();
    try (KvClient c = client(closed)) {
      KvException e = assertThrows(KvException.class, () -> c.repair(closed, p -> {}));
      assertTrue(e.unreachable());
      assertEquals(KvException.Code.UNAVAILABLE, e.code());
      assertTrue(e.getMessage().startsWith("cannot reach any node of " + closed), e.getMessage());
    }
  }

  @Test
  void theRepairDeadlineIsTheOptionsNotTheClientTimeout() {
    n1.admin.script(req -> List.of(exchange(1, "n2", 0, 0, 10, 10, 1)));
    n1.admin.neverEnd();
    List<RepairProgress> seen = new ArrayList<>();
    try (KvClient c = KvClient.builder().addresses(n1.address())
        .timeout(Duration.ofMillis(50)).build()) {
      long start = System.nanoTime();
      KvException e = assertThrows(KvException.class, () -> c.repair(n1.address(),
          RepairOptions.ALL.withDeadline(Duration.ofMillis(600)), seen::add));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(KvException.Code.DEADLINE_EXCEEDED, e.code());
      assertTrue(tookMillis >= 500, "waited the repair deadline, not the timeout: " + tookMillis);
      assertEquals(1, seen.size(), "progress before the deadline was delivered");
    }
  }

  @Test
  void aListenerThatThrowsEndsTheRepairWithItsException() {
    n1.admin.script(req -> List.of(exchange(1, "n2", 0, 0, 0, 0, 1),
        exchange(2, "n2", 0, 0, 0, 0, 1)));
    IllegalStateException boom = new IllegalStateException("boom");
    try (KvClient c = client(n1.address())) {
      assertSame(boom, assertThrows(IllegalStateException.class,
          () -> c.repair(n1.address(), p -> {
            throw boom;
          })));
      n1.admin.script(req -> List.of());
      assertTrue(c.repair(n1.address(), p -> {}).complete(), "the client is still usable");
    }
  }

  @Test
  void repairOptionsRejectBadValuesNamingThem() {
    IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
        () -> RepairOptions.ALL.withPartitions(List.of(3, -1)));
    assertEquals("partition must be >= 0, got -1", p.getMessage());
    IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
        () -> RepairOptions.ALL.withDeadline(Duration.ZERO));
    assertTrue(d.getMessage().startsWith("deadline must be positive"), d.getMessage());
    assertEquals("", RepairOptions.ALL.withPeer(null).peerNodeId());
  }
}
