package io.kvstore.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The detector against an independent statement of Akka's model: phi = log10(1 + exp(g(y))) with
 * g(y) = y (1.5976 + 0.070566 y^2), y = (elapsed - (mean + pause)) / max(stdDev, min), the
 * population mean and deviation computed here from the intervals fed in.
 */
class PhiAccrualDetectorTest {
  private static final GossipConfig DEFAULTS = GossipConfig.defaults();

  /** Expected phi, computed without the detector's code path. */
  static double expectedPhi(long elapsed, double mean, double stdDev) {
    double y = (elapsed - mean) / stdDev;
    double g = y * (1.5976 + 0.070566 * y * y);
    double ln = g > 0 ? g + Math.log1p(Math.exp(-g)) : Math.log1p(Math.exp(g));
    return ln / Math.log(10);
  }

  /** Feeds heartbeats at the given intervals, starting at t=10_000; returns the last time. */
  private static long feed(PhiAccrualDetector d, long... intervals) {
    long t = 10_000;
    d.heartbeat(t);
    for (long i : intervals) {
      t += i;
      d.heartbeat(t);
    }
    return t;
  }

  private static double mean(long... xs) {
    double s = 0;
    for (long x : xs) {
      s += x;
    }
    return s / xs.length;
  }

  private static double stdDev(long... xs) {
    double m = mean(xs);
    double s = 0;
    for (long x : xs) {
      s += (x - m) * (x - m);
    }
    return Math.sqrt(s / xs.length);
  }

  private static void assertPhi(double expected, double actual, String what) {
    assertEquals(expected, actual, 1e-9 * Math.max(1, Math.abs(expected)), what);
  }

  @Test
  void noClockMeansNoSuspicion() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    assertEquals(0.0, d.phi(0));
    assertEquals(0.0, d.phi(1_000_000));
  }

  @Test
  void firstHeartbeatOnlyStartsTheClockAndTheTickIsTheEstimate() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    d.heartbeat(500);
    assertEquals(0, d.sampleCount());
    for (long elapsed : new long[] {0, 1000, 4000, 5000, 5300, 6000}) {
      assertPhi(expectedPhi(elapsed, 1000 + 3000, 250), d.phi(500 + elapsed), "at " + elapsed);
    }
  }

  @Test
  void knownHistoryGivesTheModelsPhi() {
    long[] intervals = {900, 1100, 1000, 1200, 800, 1000, 1300, 700};
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long last = feed(d, intervals);
    assertEquals(intervals.length, d.sampleCount());
    double sd = stdDev(intervals);
    assertTrue(sd > 100, "history chosen so the observed deviation counts: " + sd);
    for (long elapsed : new long[] {0, 500, 2000, 4000, 4300, 4800, 5500, 8000}) {
      assertPhi(expectedPhi(elapsed, mean(intervals) + 3000, sd), d.phi(last + elapsed),
          "elapsed " + elapsed);
    }
  }

  @Test
  void regularHistoryUsesTheMinimumDeviation() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long last = feed(d, 1000, 1000, 1000, 1000);
    assertPhi(expectedPhi(4400, 4000, 100), d.phi(last + 4400), "std floored at 100 ms");
  }

  /** Akka's defaults with 1 s heartbeats: phi passes 8 about 4.5 s after the last heartbeat. */
  @Test
  void withOneSecondIntervalsPhiCrossesEightAboutFourAndAHalfSecondsAfterTheLastHeartbeat() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long[] ones = new long[20];
    java.util.Arrays.fill(ones, 1000);
    long last = feed(d, ones);
    double lo = 4000;
    double hi = 10_000;
    while (hi - lo > 1e-6) { // bisection on the closed form, independent of the detector
      double mid = (lo + hi) / 2;
      double y = (mid - 4000) / 100;
      if (y * (1.5976 + 0.070566 * y * y) > Math.log(1e8 - 1)) {
        hi = mid;
      } else {
        lo = mid;
      }
    }
    long crossing = (long) Math.ceil(lo);
    assertTrue(crossing > 4500 && crossing < 4550, "crossing at " + crossing + " ms");
    assertTrue(d.phi(last + crossing - 1) <= 8.0, "phi " + d.phi(last + crossing - 1));
    assertTrue(d.phi(last + crossing) > 8.0, "phi " + d.phi(last + crossing));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
  void phiNeverDecreasesAsSilenceGrows(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long[] intervals = new long[1 + rnd.nextInt(50)];
    for (int i = 0; i < intervals.length; i++) {
      intervals[i] = 200 + rnd.nextInt(1800);
    }
    long last = feed(d, intervals);
    double previous = -1;
    for (long t = last; t < last + 30_000; t += 7) {
      double phi = d.phi(t);
      assertTrue(phi >= previous, "seed " + seed + ": phi fell at +" + (t - last));
      assertTrue(!Double.isNaN(phi), "seed " + seed + ": NaN at +" + (t - last));
      previous = phi;
    }
    assertEquals(Double.POSITIVE_INFINITY, d.phi(last + 3_600_000), "seed " + seed);
  }

  /** Lesson (Cassandra): a long partition must not teach the detector to expect long gaps. */
  @Test
  void gapsAboveTheMaximumAreNotSampled() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long last = feed(d, 1000, 1000, 1000, 30_000, 1000, 2000, 2001);
    assertEquals(5, d.sampleCount(), "30 s and 2001 ms gaps left out");
    assertPhi(expectedPhi(4400, mean(1000, 1000, 1000, 1000, 2000) + 3000,
        stdDev(1000, 1000, 1000, 1000, 2000)), d.phi(last + 4400), "window without long gaps");
  }

  @Test
  void theWindowKeepsOnlyTheNewestSamples() {
    GossipConfig three = new GossipConfig(1000, 8, 3, 100, 3000, 2000, 3000, 5000, 0.1, 0.1);
    PhiAccrualDetector d = new PhiAccrualDetector(three);
    long last = feed(d, 1500, 1500, 1500, 1500, 500, 600, 700);
    assertEquals(3, d.sampleCount());
    assertPhi(expectedPhi(3700, mean(500, 600, 700) + 3000, 100), // observed 82 ms, floored
        d.phi(last + 3700), "only 500, 600, 700 remain");
  }

  @Test
  void resetForgetsHistoryAndClock() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long last = feed(d, 300, 300, 300);
    d.reset();
    assertEquals(0, d.sampleCount());
    assertEquals(0.0, d.phi(last + 60_000));
    d.heartbeat(last + 60_000);
    assertEquals(0, d.sampleCount(), "first heartbeat after reset only starts the clock");
    assertPhi(expectedPhi(4500, 4000, 250), d.phi(last + 64_500), "estimate again");
  }

  @Test
  void aStartedClockIsNotAHeartbeat() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    d.startClock(1000);
    assertPhi(expectedPhi(5000, 4000, 250), d.phi(6000), "judged from the clock start");
    d.startClock(5000);
    assertPhi(expectedPhi(5000, 4000, 250), d.phi(6000), "a running clock is not moved");
    d.heartbeat(1200);
    assertEquals(0, d.sampleCount(), "the gap from a clock start is no sample");
    d.heartbeat(2200);
    assertEquals(1, d.sampleCount());
  }

  @Test
  void aHeartbeatFromThePastDoesNotMoveTheClockBack() {
    PhiAccrualDetector d = new PhiAccrualDetector(DEFAULTS);
    long last = feed(d, 1000, 1000);
    d.heartbeat(last - 500);
    assertEquals(2, d.sampleCount());
    assertPhi(expectedPhi(4400, 4000, 100), d.phi(last + 4400), "unchanged");
  }

  /** The logistic approximation stays close to the true normal tail where it matters. */
  @Test
  void phiApproximatesTheNormalTail() {
    for (double y = -2; y <= 3.0001; y += 0.25) {
      long elapsed = Math.round(4000 + y * 100);
      double exact = -Math.log10(upperTail((elapsed - 4000) / 100.0));
      double phi = PhiAccrualDetector.phi(elapsed, 4000, 100);
      assertEquals(exact, phi, 0.1, "y=" + y);
    }
  }

  /** P(Z > y) for a standard normal Z, by Simpson's rule over [y, y + 12]. */
  private static double upperTail(double y) {
    int n = 20_000;
    double h = 12.0 / n;
    double s = 0;
    for (int i = 0; i <= n; i++) {
      double x = y + i * h;
      double w = (i == 0 || i == n) ? 1 : (i % 2 == 1 ? 4 : 2);
      s += w * Math.exp(-x * x / 2);
    }
    return s * h / 3 / Math.sqrt(2 * Math.PI);
  }
}
