package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Scenario 4, after scylladb#8488: A = n1 and C = n3 cannot talk in one or both directions,
 * while both reach everyone else. Liveness is a round trip, so A and C each see the other down
 * even where one direction works; everyone else sees both up; and C's heartbeat versions, still
 * relayed to A by gossip through the others, do not make A believe C is alive.
 */
class AsymmetricCutScenarioTest {
  static Stream<Arguments> cutsAndSeeds() {
    List<List<String>> cuts = List.of(List.of("n1>n3"), List.of("n3>n1"),
        List.of("n1>n3", "n3>n1"));
    return cuts.stream().flatMap(c -> Stream.of(1L, 2L, 3L).map(s -> Arguments.of(c, s)));
  }

  @ParameterizedTest(name = "cut={0} seed={1}")
  @MethodSource("cutsAndSeeds")
  void theCutPairSeeEachOtherDownAndTheRestSeeAllUp(List<String> cuts, long seed) {
    SimNetwork net = Clusters.start(SimConfig.of(seed), 5);
    net.runFor(30_000);
    cuts.forEach(c -> net.cut(c.substring(0, 2), c.substring(3)));
    net.runFor(10_000);
    String ctx = "cut " + cuts + ", seed " + seed;
    long relayedBefore = net.node("n1").core().view().get("n3").heartbeatVersion();
    net.runFor(10_000);
    assertFalse(net.node("n1").core().isAlive("n3"), ctx + ": A sees C down");
    assertFalse(net.node("n3").core().isAlive("n1"), ctx + ": C sees A down");
    for (String other : List.of("n2", "n4", "n5")) {
      for (String id : List.of("n1", "n2", "n3", "n4", "n5")) {
        assertTrue(net.node(other).core().isAlive(id), ctx + ": " + other + " sees " + id);
      }
    }
    long relayedAfter = net.node("n1").core().view().get("n3").heartbeatVersion();
    assertTrue(relayedAfter > relayedBefore + 5,
        ctx + ": gossip kept bringing C's heartbeats to A: " + relayedBefore + " -> "
            + relayedAfter);
    cuts.forEach(c -> net.heal(c.substring(0, 2), c.substring(3)));
    assertTrue(net.runUntil(() -> Clusters.allUp(net), net.now() + 3_000), ctx + ": healed");
    Clusters.assertEventsMatchVerdicts(net, ctx);
  }
}
