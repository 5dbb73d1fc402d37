package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.gossip.GossipConfig;
import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Up;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 3, after scylladb#957 and #5677: a node stopped for 10 s or 25 s (GC, SIGSTOP) is
 * convicted by the others meanwhile and seen up again after; it convicts nobody itself when it
 * resumes, because its own tick loop stalled (the pause guard). A negative control without the
 * guard shows the test would catch its absence.
 */
class PauseScenarioTest {
  private static final long WARM_UP_MILLIS = 30_000;

  static Stream<Arguments> pausesAndSeeds() {
    return Stream.of(10_000L, 25_000L)
        .flatMap(p -> LongStream.rangeClosed(1, 4).mapToObj(seed -> Arguments.of(p, seed)));
  }

  /** Pauses n2 for {@code pauseMillis} after warm-up, then runs 30 s more; returns the net. */
  private static SimNetwork pauseRun(SimConfig config, long pauseMillis) {
    SimNetwork net = Clusters.start(config, 5);
    net.runFor(WARM_UP_MILLIS);
    net.pause("n2");
    net.runFor(pauseMillis);
    net.resume("n2");
    net.runFor(30_000);
    return net;
  }

  @ParameterizedTest(name = "pause={0} seed={1}")
  @MethodSource("pausesAndSeeds")
  void aResumedNodeConvictsNobodyWhileOthersSawItDownAndUpAgain(long pauseMillis, long seed) {
    SimNetwork net = pauseRun(SimConfig.of(seed).withLoss(0.01), pauseMillis);
    String ctx = "pause " + pauseMillis + ", seed " + seed;
    long resumedAt = WARM_UP_MILLIS + pauseMillis;
    assertEquals(0, net.log().of(Down.class, null).filter(e -> e.observer().equals("n2")).count(),
        ctx + ": n2 convicted someone: " + net.log().lines());
    for (SimNode n : net.nodes()) {
      if (n.id.equals("n2")) {
        continue;
      }
      long down = net.log().first(Down.class, n.id, "n2", WARM_UP_MILLIS).orElse(-1);
      assertTrue(down > WARM_UP_MILLIS && down < resumedAt, ctx + ": " + n.id + " down at " + down);
      long up = net.log().first(Up.class, n.id, "n2", down).orElse(-1);
      assertTrue(up >= resumedAt && up < resumedAt + 3_000, ctx + ": " + n.id + " up at " + up);
    }
    assertTrue(Clusters.allUp(net), ctx);
    Clusters.assertEventsMatchVerdicts(net, ctx);
  }

  /** Negative control: with no quiet period the resumed node convicts every peer at once. */
  @ParameterizedTest(name = "pause={0} seed={1}")
  @MethodSource("pausesAndSeeds")
  void withoutTheGuardTheResumedNodeConvictsEveryone(long pauseMillis, long seed) {
    GossipConfig d = GossipConfig.defaults();
    GossipConfig unguarded = new GossipConfig(d.tickMillis(), d.phiThreshold(), d.windowSize(),
        d.minStdDevMillis(), d.acceptablePauseMillis(), d.maxSampleGapMillis(),
        d.pauseGuardMillis(), 0, d.unreachableGossipProbability(), d.seedGossipProbability());
    SimConfig base = SimConfig.of(seed).withLoss(0.01);
    SimNetwork net = pauseRun(new SimConfig(seed, base.lossProbability(), base.minLatencyMillis(),
        base.maxLatencyMillis(), base.tickJitterMillis(), unguarded), pauseMillis);
    assertEquals(4, net.log().of(Down.class, null).filter(e -> e.observer().equals("n2")).count(),
        "pause " + pauseMillis + ", seed " + seed + ": " + net.log().lines());
  }
}
