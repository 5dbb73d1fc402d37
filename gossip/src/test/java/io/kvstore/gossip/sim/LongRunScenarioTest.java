package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Up;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Scenario 5, after consul#916: ten simulated minutes of five healthy nodes with latency jitter
 * up to 200 ms and message loss.
 *
 * <p>Why 1% and not 5% for "zero": with the defaults a peer is convicted 4.5-5.5 s after its
 * last answered ping, i.e. after 4-5 consecutive lost round trips. At 5% loss per message a
 * round trip fails with p = 0.0975, so 5 in a row has p ~ 9e-6 per start, and a 10-minute run of
 * 20 directed pairs has ~12,000 starts: about one run in seven or eight sees one conviction
 * (measured: 16 of 100 seeds, each with exactly one). Those are convictions of a link that
 * really answered nothing for 4.5 s, so the 5% test checks exactly that.
 */
class LongRunScenarioTest {
  private static final long TEN_MINUTES = 600_000;

  private static SimNetwork tenMinutes(long seed, double loss) {
    SimNetwork net = Clusters.start(SimConfig.of(seed).withLoss(loss).withLatency(1, 200), 5);
    net.runFor(TEN_MINUTES);
    return net;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void noConvictionInTenMinutesWithJitterAndOnePercentLoss(long seed) {
    SimNetwork net = tenMinutes(seed, 0.01);
    assertEquals(List.of(), net.log().of(Down.class, null).toList(), "seed " + seed);
    net.nodes().forEach(n -> assertEquals(0, n.core().counters().convictions(), "seed " + seed));
    assertTrue(Clusters.allUp(net), "seed " + seed);
  }

  /**
   * At 5% loss every conviction is of a peer that answered none of the observer's pings for more
   * than 4 s, and the peer is up again with the next answered ping; convictions stay rare.
   */
  @Test
  void atFivePercentLossOnlyRealSilencesAreConvicted() {
    int convictions = 0;
    for (long seed = 1; seed <= 12; seed++) {
      SimNetwork net = tenMinutes(seed, 0.05);
      for (EventLog.Entry down : net.log().of(Down.class, null).toList()) {
        String ctx = "seed " + seed + ": " + down;
        String peer = down.event().nodeId();
        List<Long> trips = net.roundTrips(down.observer(), peer);
        long lastBefore = trips.stream().filter(t -> t <= down.at()).reduce((a, b) -> b)
            .orElseThrow();
        assertTrue(down.at() - lastBefore > 4_000, ctx + ": last answer " + lastBefore);
        long nextAfter = trips.stream().filter(t -> t > down.at()).findFirst().orElseThrow();
        assertEquals(nextAfter,
            net.log().first(Up.class, down.observer(), peer, down.at()).orElseThrow(), ctx);
        convictions++;
      }
      assertTrue(Clusters.allUp(net), "seed " + seed);
      Clusters.assertEventsMatchVerdicts(net, "seed " + seed);
    }
    System.out.printf("5%% loss, 12 x 10 min x 5 nodes: %d convictions%n", convictions);
    assertTrue(convictions <= 6, "expected about 2, got " + convictions);
  }
}
