package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.hints.Hint;
import io.kvstore.lsm.testing.SeededRandom;
import io.kvstore.node.hints.HintFixtures;
import io.kvstore.node.hints.HintStore;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamo 4.6 (hinted handoff): hints reach their owner once it is up, in order, and the store
 * forgets them only after the owner's durable acknowledgement.
 */
@ExtendWith(SeededRandom.class)
class HandoffReplayTest {
  @TempDir Path dir;
  private final HandoffFixtures.Harness h = new HandoffFixtures.Harness();
  private final NodeId a = NodeId.of("a");
  private final NodeId b = NodeId.of("b");

  private HandoffManager manager(HintStore store, java.util.concurrent.Executor executor) {
    return h.manager(store, executor, HandoffFixtures.config(0, 32), dir.resolve("flags"));
  }

  @Test
  void deliversInOrderAdvancesTheCheckpointAndEndsWithNoSegmentFiles(Random r) throws Exception {
    try (HintStore store = h.openStore(dir.resolve("hints"))) {
      List<Hint> forA = append(store, a, r, 0, 300, h.time.currentTimeMillis());
      append(store, b, r, 1000, 70, h.time.currentTimeMillis());
      h.targets.set(a, HandoffFixtures.Targets.behave(5, false)); // answers 5 ms later
      List<Long> checkpoints = new ArrayList<>();
      h.targets.onDeliver((t, hint) -> {
        if (t.equals(a)) {
          checkpoints.add(store.checkpoint(a).offset() + (store.checkpoint(a).segment() << 32));
        }
      });
      long bytes = store.stats(a).bytes() + store.stats(b).bytes();
      try (HandoffManager m = manager(store, DIRECT)) {
        m.start();
        h.time.advance(5_000);
        assertEquals(IntStream.range(0, 300).boxed().toList(), h.targets.attempts(a), "in order");
        assertEquals(IntStream.range(0, 300).boxed().toList(), h.recorder.delivered(a));
        assertEquals(IntStream.range(1000, 1070).boxed().toList(), h.recorder.delivered(b));
        assertEquals(1, h.recorder.drainedCount(a));
        assertEquals(1, h.recorder.drainedCount(b));
        assertTrue(checkpoints.stream().distinct().count() >= 300 / 32,
            "the checkpoint moved batch by batch: " + checkpoints.stream().distinct().count());
        assertEquals(List.of(), HintFixtures.segmentFiles(dir.resolve("hints")));
        HandoffSummary s = m.summary();
        assertEquals(List.of(), s.queues());
        assertEquals(370, s.delivered());
        assertEquals(bytes, s.deliveredBytes());
        assertEquals(0, store.stats(a).hints());
        assertEquals(37.0, s.replayHintsPerSecond(), 1e-9, "370 hints over the last 10 s");
        assertEquals(bytes / 10.0, s.replayBytesPerSecond(), 1e-9);
        h.time.advance(10_000);
        assertEquals(0.0, m.summary().replayHintsPerSecond(), "the rate forgets after 10 s");
        assertEquals(Set.of(), m.needsRepair());
        assertEquals(forA.size(), h.recorder.delivered(a).size());
      }
    }
  }

  @Test
  void aDownTargetIsNotReplayedAndOnUpStartsItOnTheExecutor(Random r) {
    HandoffFixtures.ManualExecutor executor = new HandoffFixtures.ManualExecutor();
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = manager(store, executor)) {
      append(store, a, r, 0, 50, h.time.currentTimeMillis());
      h.liveness.down(a);
      m.start();
      for (int i = 0; i < 5; i++) {
        h.time.advance(10_000);
        executor.runAll();
      }
      assertEquals(List.of(), h.targets.attempts(a), "no replay to a down target");
      HandoffSummary.TargetQueue q = m.summary().queues().get(0);
      assertEquals(50, q.hints());
      assertEquals(50_000, q.oldestAgeMillis());
      h.liveness.up(a);
      int asked = h.liveness.asked.get();
      m.onUp(a);
      assertEquals(List.of(), h.targets.attempts(a), "nothing runs on the caller's thread");
      assertEquals(asked, h.liveness.asked.get(), "not even the checks");
      assertEquals(1, executor.pending());
      executor.runAll();
      assertEquals(50, h.recorder.delivered(a).size(), "onUp replays at once, before any sweep");
      assertEquals(1, h.recorder.drainedCount(a));
    }
  }

  @Test
  void onUpStartsTheReplayEvenBeforeLivenessCatchesUp(Random r) {
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = manager(store, DIRECT)) {
      append(store, a, r, 0, 80, h.time.currentTimeMillis());
      h.liveness.down(a); // the gossip driver calls onUp before it publishes "up"
      m.start();
      assertEquals(List.of(), h.recorder.delivered(a));
      m.onUp(a);
      assertEquals(32, h.recorder.delivered(a).size(), "the first batch went out");
      h.time.advance(10_000);
      assertEquals(32, h.recorder.delivered(a).size(), "later batches ask liveness again");
      h.liveness.up(a);
      h.time.advance(10_000);
      assertEquals(80, h.recorder.delivered(a).size(), "the sweep finishes the job");
    }
  }

  @Test
  void appendsDuringReplayAreAllDeliveredEventually(Random r) throws Exception {
    long seed = r.nextLong();
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = manager(store, DIRECT)) {
      h.targets.set(a, HandoffFixtures.Targets.behave(3, false));
      append(store, a, r, 0, 100, h.time.currentTimeMillis()).forEach(h -> acked.add(
          HandoffFixtures.seq(h.key())));
      Thread writer = Thread.ofPlatform().start(() -> {
        Random wr = new Random(seed);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 100; i < 1100; i++) {
          int seq = i;
          acks.add(store.append(a, HandoffFixtures.hint(wr, i, h.time.currentTimeMillis()))
              .thenRun(() -> acked.add(seq)));
          if (wr.nextInt(10) == 0) {
            acks.get(acks.size() - 1).join();
          }
        }
        acks.forEach(CompletableFuture::join);
      });
      m.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (writer.isAlive() || !Set.copyOf(h.recorder.delivered(a)).containsAll(acked)) {
        h.time.advance(1_000);
        assertTrue(System.nanoTime() < deadline, "not all delivered: "
            + h.recorder.delivered(a).size() + " of " + acked.size());
      }
      assertEquals(1100, acked.size());
      assertEquals(0, m.summary().queued());
      assertEquals(Set.of(), m.needsRepair(), "a segment being written is not a torn one");
      assertEquals(0, store.tornTails() + store.corruptRecords());
      h.time.advance(20_000);
      assertEquals(List.of(), HintFixtures.segmentFiles(dir.resolve("hints")));
    }
  }
}
