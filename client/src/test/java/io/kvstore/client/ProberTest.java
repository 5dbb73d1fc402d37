package io.kvstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The health-check probe against a real health service on a localhost port. */
class ProberTest {
  private final FakeKvStore server = new FakeKvStore();
  private final Transport transport = new Transport(null, null, null);
  private final Endpoint endpoint = Endpoint.open(server.address(), transport);
  private final RoutingPolicy policy = RoutingPolicy.of(Duration.ofSeconds(1), true,
      Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(50));
  private final NodeSelector selector =
      new NodeSelector(1, policy, Clock.system(), new SplittableRandom(1));
  private final Prober prober = new Prober(
      new Routing(List.of(endpoint), selector, policy, Clock.system(), 1, false));

  @AfterEach
  void stop() {
    endpoint.channel().shutdownNow();
    server.close();
    transport.close();
  }

  private void makeSuspect() {
    selector.end(0, selector.begin(0), Outcome.UNREACHABLE);
    assertEquals(NodeHealth.Rank.SUSPECT, selector.rank(0));
  }

  /** Probes whenever due until the rank is {@code expected} or two seconds have passed. */
  private NodeHealth.Rank probeUntil(NodeHealth.Rank expected) throws InterruptedException {
    long end = System.nanoTime() + 2_000_000_000L;
    while (selector.rank(0) != expected && System.nanoTime() < end) {
      prober.probeDue();
      Thread.sleep(10);
    }
    return selector.rank(0);
  }

  @Test
  void aServingNodePassesItsProbeAndIsNoLongerSuspect() throws Exception {
    makeSuspect();
    assertEquals(NodeHealth.Rank.HEALTHY, probeUntil(NodeHealth.Rank.HEALTHY));
  }

  @Test
  void aNodeThatSaysNotServingStaysSuspectUntilItServesAgain() throws Exception {
    server.serving(false);
    makeSuspect();
    assertEquals(NodeHealth.Rank.SUSPECT, probeUntil(NodeHealth.Rank.HEALTHY));
    server.serving(true);
    assertEquals(NodeHealth.Rank.HEALTHY, probeUntil(NodeHealth.Rank.HEALTHY));
  }

  @Test
  void aPausedNodeFailsItsProbeByTheDeadlineAndPassesOnceResumed() throws Exception {
    server.pause();
    makeSuspect();
    assertEquals(NodeHealth.Rank.SUSPECT, probeUntil(NodeHealth.Rank.HEALTHY));
    server.resume();
    assertEquals(NodeHealth.Rank.HEALTHY, probeUntil(NodeHealth.Rank.HEALTHY));
  }
}
