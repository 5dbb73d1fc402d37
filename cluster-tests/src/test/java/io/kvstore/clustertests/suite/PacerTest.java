package io.kvstore.clustertests.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fault suite's load pacing: at most the rate, and no burst to make up for a stall. */
class PacerTest {
  @Test
  void runsNoMoreStepsThanTheRateAllows() {
    WorkloadMix.Pacer pacer = new WorkloadMix.Pacer(200);
    long start = System.nanoTime();
    long end = start + TimeUnit.MILLISECONDS.toNanos(100);
    int steps = 0;
    while (pacer.next(end)) {
      steps++;
    }
    long took = System.nanoTime() - start;
    // 200/s for 100 ms: the first step at once, then one each 5 ms (a slow machine only does fewer).
    assertTrue(steps <= 1 + took / TimeUnit.MILLISECONDS.toNanos(5), steps + " steps in " + took);
    assertTrue(steps >= 1, "the first step is due at once");
  }

  @Test
  void doesNotMakeUpForAStall() throws InterruptedException {
    WorkloadMix.Pacer pacer = new WorkloadMix.Pacer(1000);
    long far = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    assertTrue(pacer.next(far));
    Thread.sleep(100); // a step that took 100 ms: 100 steps were "missed"
    long start = System.nanoTime();
    int steps = 0;
    while (pacer.next(start + TimeUnit.MILLISECONDS.toNanos(20))) {
      steps++;
    }
    long took = System.nanoTime() - start;
    assertTrue(steps <= 1 + took / TimeUnit.MILLISECONDS.toNanos(1),
        steps + " steps in " + took + " ns after a stall: a burst");
  }

  @Test
  void zeroIsUnpacedAndTheEndStopsIt() {
    WorkloadMix.Pacer pacer = new WorkloadMix.Pacer(0);
    long far = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(pacer.next(far));
    }
    assertFalse(pacer.next(System.nanoTime() - 1));
  }

  @Test
  void refusesANegativeRate() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new WorkloadMix.Pacer(-1));
    assertEquals("steps per second must be >= 0, got -1", e.getMessage());
  }
}
