package io.kvstore.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Defaults are DESIGN.md section 5's; a bad setting fails fast naming the field. */
class GossipConfigTest {
  @Test
  void defaultsAreTheDesignsNumbers() {
    GossipConfig c = GossipConfig.defaults();
    assertEquals(1000, c.tickMillis());
    assertEquals(8.0, c.phiThreshold());
    assertEquals(1000, c.windowSize());
    assertEquals(100, c.minStdDevMillis());
    assertEquals(3000, c.acceptablePauseMillis());
    assertEquals(2000, c.maxSampleGapMillis());
    assertEquals(3000, c.pauseGuardMillis());
    assertEquals(5000, c.pauseQuietMillis());
    assertEquals(0.1, c.unreachableGossipProbability());
    assertEquals(0.1, c.seedGossipProbability());
  }

  static Stream<Arguments> badSettings() {
    return Stream.of(
        bad("tickMillis", c -> with(c, 0, c.phiThreshold(), c.windowSize())),
        bad("phiThreshold", c -> with(c, c.tickMillis(), 0.0, c.windowSize())),
        bad("phiThreshold", c -> with(c, c.tickMillis(), Double.NaN, c.windowSize())),
        bad("phiThreshold", c -> with(c, c.tickMillis(), Double.POSITIVE_INFINITY, 1)),
        bad("windowSize", c -> with(c, c.tickMillis(), c.phiThreshold(), 0)),
        bad("minStdDevMillis", c -> new GossipConfig(1000, 8, 10, 0, 3000, 2000, 3000, 5000, 0, 0)),
        bad("acceptablePauseMillis", c -> new GossipConfig(1000, 8, 10, 1, -1, 2000, 1, 0, 0, 0)),
        bad("maxSampleGapMillis", c -> new GossipConfig(1000, 8, 10, 1, 0, 0, 1, 0, 0, 0)),
        bad("maxSampleGapMillis", c -> new GossipConfig(1, 8, 1000, 1, 0, 1L << 40, 1, 0, 0, 0)),
        bad("pauseGuardMillis", c -> new GossipConfig(1000, 8, 10, 1, 0, 2000, 0, 0, 0, 0)),
        bad("pauseQuietMillis", c -> new GossipConfig(1000, 8, 10, 1, 0, 2000, 1, -5, 0, 0)),
        bad("unreachableGossipProbability",
            c -> new GossipConfig(1000, 8, 10, 1, 0, 2000, 1, 0, 1.5, 0)),
        bad("seedGossipProbability",
            c -> new GossipConfig(1000, 8, 10, 1, 0, 2000, 1, 0, 0, -0.1)));
  }

  @ParameterizedTest
  @MethodSource("badSettings")
  void aBadSettingIsRefusedNamingTheField(String field, Function<GossipConfig, GossipConfig> make) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> make.apply(GossipConfig.defaults()));
    assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
  }

  private static Arguments bad(String field, Function<GossipConfig, GossipConfig> make) {
    return Arguments.of(field, make);
  }

  private static GossipConfig with(GossipConfig c, long tick, double phi, int window) {
    return new GossipConfig(tick, phi, window, c.minStdDevMillis(), c.acceptablePauseMillis(),
        c.maxSampleGapMillis(), c.pauseGuardMillis(), c.pauseQuietMillis(),
        c.unreachableGossipProbability(), c.seedGossipProbability());
  }
}
