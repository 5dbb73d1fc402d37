package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Up;
import io.kvstore.gossip.MemberStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 7: a node shutting down gracefully announces it, and every peer marks it down within
 * a tick instead of waiting ~5 s for its detector; the node's later restart brings it back.
 */
class ShutdownScenarioTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void everyPeerMarksTheNodeDownWithinATick(long seed) {
    SimNetwork net = Clusters.start(SimConfig.of(seed), 5);
    net.runFor(30_000);
    long stoppedAt = net.now();
    net.shutdown("n4");
    net.runFor(2_000);
    for (SimNode n : net.nodes()) {
      if (n.id.equals("n4")) {
        continue;
      }
      long down = net.log().first(Down.class, n.id, "n4", stoppedAt).orElse(Long.MAX_VALUE);
      assertTrue(down - stoppedAt <= 1_000, "seed " + seed + ": " + n.id + " after "
          + (down - stoppedAt) + " ms");
      assertEquals(MemberStatus.SHUTDOWN, n.core().view().get("n4").status(), "seed " + seed);
      assertEquals(0, n.core().counters().convictions(), "seed " + seed + ": no conviction");
    }
    net.runFor(20_000);
    assertEquals(4, net.log().of(Down.class, "n4").count(), "seed " + seed + ": once each");
    long restartedAt = net.now();
    net.restart("n4");
    assertTrue(net.runUntil(() -> Clusters.allJudge(net, "n4", true), restartedAt + 5_000),
        "seed " + seed + ": " + net.log().lines());
    assertEquals(4, net.log().of(Up.class, "n4").filter(e -> e.at() >= restartedAt).count());
    Clusters.assertEventsMatchVerdicts(net, "seed " + seed);
  }

  /** With 10% loss a lost announcement is made up for by gossip within a few ticks. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void withLossTheAnnouncementStillBeatsTheDetector(long seed) {
    SimNetwork net = Clusters.start(SimConfig.of(seed).withLoss(0.1), 5);
    net.runFor(30_000);
    long stoppedAt = net.now();
    net.shutdown("n4");
    assertTrue(net.runUntil(() -> Clusters.allJudge(net, "n4", false), stoppedAt + 4_000),
        "seed " + seed + ": " + net.log().lines());
    net.nodes().stream().filter(n -> !n.id.equals("n4")).forEach(n -> assertEquals(
        MemberStatus.SHUTDOWN, n.core().view().get("n4").status(), "seed " + seed));
  }
}
