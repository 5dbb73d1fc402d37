package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.FaultInjectingEnv;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed write or fsync fails the appends it covered and seals the segment at its last fsynced
 * byte; the next append starts a fresh segment, so one bad moment does not stop a target's hints
 * until restart, and nothing is ever appended after a failure in the same segment.
 */
class HintIoFailureTest {
  @TempDir Path dir;
  private final HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
  private final NodeId t = NodeId.of("n1");

  @Test
  void failedWriteOrSyncFailsThoseAppendsAndTheNextAppendStartsANewSegment() throws Exception {
    Random r = HintFixtures.seeded("ioFailure");
    FaultInjectingEnv env = new FaultInjectingEnv();
    List<Hint> acked = new ArrayList<>();
    try (HintStore store = HintStore.open(env, dir, clock, 1 << 20)) {
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 5; i++) {
          Hint h = randomHint(r, clock.millis.get());
          store.append(t, h).join();
          acked.add(h);
        }
        int segments = HintFixtures.segmentFiles(dir).size();
        if (round % 2 == 0) {
          env.failWritesAfter(0);
        } else {
          env.failSyncs(true);
        }
        Hint lost = randomHint(r, clock.millis.get());
        CompletionException e =
            assertThrows(CompletionException.class, () -> store.append(t, lost).join());
        assertTrue(e.getCause() instanceof StorageIOException, e.toString());
        env.resetFaults();
        Hint next = randomHint(r, clock.millis.get());
        store.append(t, next).join();
        acked.add(next);
        assertEquals(segments + 1, HintFixtures.segmentFiles(dir).size(),
            "round " + round + ": a new segment after the failure");
        assertEquals(acked, hints(readAll(store.reader(t, 0))),
            "round " + round + ": the failed hint is not read; everything acked is");
        assertEquals(acked.size(), store.stats(t).hints());
      }
    }
    try (HintStore store = HintStore.open(env, dir, clock, 1 << 20)) {
      List<Hint> after = hints(readAll(store.reader(t, 0)));
      assertTrue(after.containsAll(acked), "every acked hint survives a restart");
    }
  }
}
