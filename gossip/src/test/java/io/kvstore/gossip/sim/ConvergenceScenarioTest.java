package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 1: gossip spreads membership from seeds alone. Each node knows one seed (the first
 * node knows only itself); with 10% of messages lost every view still holds every node soon,
 * and every node judges every other alive.
 */
class ConvergenceScenarioTest {
  /** Starts are spread over the first second; push-pull needs O(log S) rounds after that. */
  private static final long BOUND_MILLIS = 15_000;

  static Stream<Arguments> sizesAndSeeds() {
    return Stream.of(3, 5, 9)
        .flatMap(s -> LongStream.rangeClosed(1, 6).mapToObj(seed -> Arguments.of(s, seed)));
  }

  @ParameterizedTest(name = "S={0} seed={1}")
  @MethodSource("sizesAndSeeds")
  void everyViewHoldsEveryNodeWithinTheBoundDespiteTenPercentLoss(int size, long seed) {
    SimNetwork net = Clusters.start(SimConfig.of(seed).withLoss(0.1), size);
    String ctx = "seed " + seed + ", S=" + size;
    assertTrue(net.runUntil(() -> Clusters.viewsComplete(net), BOUND_MILLIS),
        ctx + ": views incomplete after " + BOUND_MILLIS + " ms: "
            + net.nodes().stream().map(n -> n.id + "=" + n.core().view().size()).toList());
    net.runFor(5_000);
    assertTrue(Clusters.allUp(net), ctx + ": " + net.log().lines());
    Clusters.assertEventsMatchVerdicts(net, ctx);
  }
}
