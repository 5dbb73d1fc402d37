package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.FaultInjectingEnv;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A machine crash loses no acknowledged (fsynced) hint; only unacknowledged ones may go. */
class HintCrashTest {
  @TempDir Path dir;

  @Test
  void machineCrashLosesNoAcknowledgedAppend() throws Exception {
    Random r = HintFixtures.seeded("crash");
    HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
    NodeId t = NodeId.of("n1");
    for (int round = 0; round < 5; round++) {
      FaultInjectingEnv env = new FaultInjectingEnv();
      List<Hint> acked = new ArrayList<>();
      List<Hint> before;
      try (HintStore store = HintStore.open(env, dir, clock, 4 << 10)) {
        before = hints(readAll(store.reader(t, 0)));
        for (int i = 0; i < 30 + r.nextInt(40); i++) {
          Hint h = randomHint(r, clock.millis.getAndIncrement());
          store.append(t, h).join();
          acked.add(h);
        }
        List<CompletableFuture<Void>> inFlight = new ArrayList<>();
        for (int i = 0; i < r.nextInt(10); i++) {
          inFlight.add(store.append(t, randomHint(r, clock.millis.get())));
        }
        env.simulateCrash(); // in-flight appends may or may not have been synced
        inFlight.forEach(f -> f.handle((v, e) -> null).join());
      }
      try (HintStore store = HintStore.open(env, dir, clock, 4 << 10)) {
        List<Hint> after = hints(readAll(store.reader(t, 0)));
        List<Hint> want = new ArrayList<>(before);
        want.addAll(acked);
        assertTrue(after.size() >= want.size(), "lost acked hints in round " + round);
        assertEquals(want, after.subList(0, want.size()), "round " + round);
        assertEquals(0, store.corruptRecords(), store.problems().toString());
      }
    }
  }
}
