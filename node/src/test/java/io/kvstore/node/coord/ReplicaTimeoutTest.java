package io.kvstore.node.coord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The per-replica timeout follows the replicas' recent p99 latency, within its bounds. */
class ReplicaTimeoutTest {
  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void isTheMaximumUntilEnoughRepliesWereSeen() {
    ReplicaTimeout t = new ReplicaTimeout(50 * MS, 1000 * MS, 3);
    for (int i = 0; i < ReplicaTimeout.RECOMPUTE_EVERY - 1; i++) {
      t.record(MS);
    }
    assertEquals(1000 * MS, t.nanos());
    t.record(MS);
    assertEquals(50 * MS, t.nanos(), "3 x 1 ms is below the floor");
  }

  @Test
  void followsThreeTimesTheP99AndForgetsOldSamples() {
    ReplicaTimeout t = new ReplicaTimeout(10 * MS, 1000 * MS, 3);
    // 2% of replies at 100 ms: the p99 is 100 ms.
    for (int i = 0; i < ReplicaTimeout.WINDOW; i++) {
      t.record(i % 50 == 0 ? 100 * MS : 5 * MS);
    }
    assertEquals(300 * MS, t.nanos());
    // A long stall of every reply is capped at the maximum.
    for (int i = 0; i < ReplicaTimeout.WINDOW; i++) {
      t.record(2000 * MS);
    }
    assertEquals(1000 * MS, t.nanos());
    // And a full window of fast replies brings it back down.
    for (int i = 0; i < ReplicaTimeout.WINDOW; i++) {
      t.record(6 * MS);
    }
    assertEquals(18 * MS, t.nanos());
  }

  @Test
  void refusesInvalidBounds() {
    assertThrows(IllegalArgumentException.class, () -> new ReplicaTimeout(0, 10, 3));
    assertThrows(IllegalArgumentException.class, () -> new ReplicaTimeout(20, 10, 3));
    assertThrows(IllegalArgumentException.class, () -> new ReplicaTimeout(1, 10, 0.5));
  }
}
