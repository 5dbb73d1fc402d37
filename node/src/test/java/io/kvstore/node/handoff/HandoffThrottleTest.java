package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.testing.SeededRandom;
import io.kvstore.node.hints.HintStore;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The adaptive throttle: a byte cap over all targets, an AIMD window and backoff per target. */
@ExtendWith(SeededRandom.class)
class HandoffThrottleTest {
  @TempDir Path dir;
  private final HandoffFixtures.Harness h = new HandoffFixtures.Harness();
  private final NodeId a = NodeId.of("a");
  private final NodeId b = NodeId.of("b");

  @Test
  void tokenBucketGrantsAtMostTheRatePlusOneReservation(Random r) {
    Throttle t = new Throttle(h.time, 10_000);
    long start = h.time.nanoTime();
    long granted = 0;
    long largest = 0;
    for (int i = 0; i < 2_000; i++) {
      long want = 1 + r.nextInt(3_000);
      long wait = t.reserve(want);
      if (wait == 0) {
        granted += want;
        largest = Math.max(largest, want);
      } else {
        assertTrue(wait > 0);
        h.time.advance(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) * r.nextInt(3) / 2));
      }
      double elapsed = (h.time.nanoTime() - start) / 1e9;
      assertTrue(granted <= 10_000 * elapsed + largest,
          "granted " + granted + " in " + elapsed + " s");
    }
    double elapsed = (h.time.nanoTime() - start) / 1e9;
    assertTrue(granted >= 10_000 * elapsed * 0.5, "the cap is not far below the rate: " + granted
        + " in " + elapsed + " s");
    assertEquals(0, new Throttle(h.time, 0).reserve(Long.MAX_VALUE), "0 means no cap");
  }

  @Test
  void windowDoublesUntilTheFirstFailureThenGrowsByOneAndHalvesOnFailure() {
    Throttle t = new Throttle(h.time, 0);
    assertEquals(Throttle.INITIAL_WINDOW, t.window(a));
    t.succeeded(a);
    t.succeeded(a);
    assertEquals(Throttle.INITIAL_WINDOW * 4, t.window(a), "slow start doubles");
    t.failed(a);
    int threshold = Throttle.INITIAL_WINDOW * 2;
    assertEquals(threshold, t.window(a));
    for (int i = 0; i < 3; i++) {
      t.succeeded(a);
    }
    assertEquals(threshold + 3, t.window(a), "past the first failure: one per good batch");
    for (int i = 0; i < 10; i++) {
      t.failed(a);
    }
    assertEquals(1, t.window(a), "never below one");
    t.succeeded(a);
    assertEquals(2, t.window(a), "one per good batch from the last halving");
    for (int i = 0; i < 200; i++) {
      t.succeeded(a);
    }
    assertEquals(Throttle.MAX_WINDOW, t.window(a), "capped");
    assertEquals(Throttle.INITIAL_WINDOW, t.window(b), "per target");
  }

  @Test
  void backoffDoublesFromOneSecondToThirtyAndResetsOnSuccess() {
    Throttle t = new Throttle(h.time, 0);
    List<Long> waits = new java.util.ArrayList<>();
    for (int i = 0; i < 7; i++) {
      waits.add(t.failed(a));
    }
    assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L), waits);
    assertEquals(1_000L, t.failed(b), "per target");
    t.succeeded(a);
    assertEquals(1_000L, t.failed(a), "a success resets the backoff");
  }

  @Test
  void rateWindowAveragesTheLastTenSeconds() {
    RateWindow w = new RateWindow();
    w.add(100_000, 50, 5_000);
    w.add(105_500, 30, 3_000);
    assertEquals(8.0, w.rates(109_999)[0], 1e-9);
    assertEquals(800.0, w.rates(109_999)[1], 1e-9);
    assertEquals(3.0, w.rates(110_000)[0], 1e-9, "the first second left the window");
    assertEquals(0.0, w.rates(200_000)[0], 1e-9);
  }

  @Test
  void replayHoldsTheByteCapOverAllTargets(Random r) {
    long cap = 20_000; // bytes per second
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = h.manager(store, DIRECT, HandoffFixtures.config(cap, 8),
            dir.resolve("flags"))) {
      append(store, a, r, 0, 400, h.time.currentTimeMillis());
      append(store, b, r, 1000, 400, h.time.currentTimeMillis());
      long total = store.stats(a).bytes() + store.stats(b).bytes();
      long batchMax = 8 * (12 + 8 + 1 + 4 + 4 + 4 + 450 + 4); // 8 hints of the largest size
      long start = h.time.millis();
      m.start();
      long last = 0;
      while (m.summary().deliveredBytes() < total) {
        h.time.advance(250);
        long sent = m.summary().deliveredBytes();
        long elapsedMillis = h.time.millis() - start;
        assertTrue(sent <= cap * elapsedMillis / 1000 + batchMax,
            sent + " bytes delivered in " + elapsedMillis + " ms");
        assertTrue(elapsedMillis < 3_600_000, "stalled at " + sent);
        last = sent;
      }
      double seconds = (h.time.millis() - start) / 1000.0;
      System.out.printf("byteCap: %d bytes in %.1f s (cap %d B/s)%n", last, seconds, cap);
      assertTrue(last / seconds > cap * 0.8, "the cap is used, not undercut: " + last / seconds);
      assertEquals(0, m.summary().queued());
    }
  }
}
