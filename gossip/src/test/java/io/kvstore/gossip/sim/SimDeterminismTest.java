package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DESIGN.md section 11, layer 2: same seed, same run; the harness is reproducible. */
class SimDeterminismTest {
  /** A busy run: loss, jitter, a kill, a restart, a pause and a one-way cut. */
  static SimNetwork busyRun(long seed) {
    SimNetwork net = Clusters.start(SimConfig.of(seed).withLoss(0.1).withLatency(1, 150), 5);
    net.runFor(20_000);
    net.kill("n3");
    net.runFor(10_000);
    net.restart("n3");
    net.pause("n2");
    net.runFor(8_000);
    net.resume("n2");
    net.cut("n1", "n4");
    net.runFor(20_000);
    return net;
  }

  private static List<String> fingerprint(SimNetwork net) {
    List<String> out = new ArrayList<>(net.log().lines());
    net.nodes().forEach(n -> out.add(n.id + " " + n.core().view() + " " + n.core().counters()));
    return out;
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void theSameSeedGivesTheSameRun(long seed) {
    SimNetwork one = busyRun(seed);
    SimNetwork two = busyRun(seed);
    assertFalse(one.log().entries().isEmpty(), "seed " + seed + ": the run has events");
    assertEquals(fingerprint(one), fingerprint(two), "seed " + seed);
    assertArrayEquals(one.traffic(), two.traffic(), "seed " + seed);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void anotherSeedGivesAnotherRun(long seed) {
    assertNotEquals(fingerprint(busyRun(seed)), fingerprint(busyRun(seed + 100)), "seed " + seed);
  }
}
