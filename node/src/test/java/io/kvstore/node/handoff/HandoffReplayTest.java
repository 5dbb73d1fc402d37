package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.hints.Hint;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.SimulatedTime;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamo 4.6 (hinted handoff): hints reach their owner once it is up, in order, and the store
 * forgets them only after the owner's durable acknowledgement.
 */
class HandoffReplayTest {
  @TempDir Path dir;
  private final SimulatedTime time = new SimulatedTime();
  private final HandoffFixtures.Targets targets = new HandoffFixtures.Targets(time);
  private final HandoffFixtures.Recorder recorder = new HandoffFixtures.Recorder();
  private final HandoffFixtures.Switchboard liveness = new HandoffFixtures.Switchboard();
  private final NodeId a = NodeId.of("a");
  private final NodeId b = NodeId.of("b");

  private HandoffManager manager(HintStore store, java.util.concurrent.Executor executor) {
    return new HandoffManager(HandoffFixtures.SELF, store, targets, liveness, time, time, executor,
        HandoffFixtures.config(0, 32), dir.resolve("flags"), recorder);
  }

  @Test
  void deliversInOrderAdvancesTheCheckpointAndEndsWithNoSegmentFiles() throws Exception {
    Random r = HandoffFixtures.seeded("inOrder");
    try (HintStore store = HandoffFixtures.openStore(dir.resolve("hints"), time)) {
      List<Hint> forA = append(store, a, r, 0, 300, time.currentTimeMillis());
      append(store, b, r, 1000, 70, time.currentTimeMillis());
      targets.set(a, HandoffFixtures.Targets.behave(5, false)); // answers 5 ms later
      List<Long> checkpoints = new ArrayList<>();
      targets.onDeliver((t, h) -> {
        if (t.equals(a)) {
          checkpoints.add(store.checkpoint(a).offset() + (store.checkpoint(a).segment() << 32));
        }
      });
      long bytes = store.stats(a).bytes() + store.stats(b).bytes();
      try (HandoffManager m = manager(store, DIRECT)) {
        m.start();
        time.advance(5_000);
        assertEquals(IntStream.range(0, 300).boxed().toList(), targets.attempts(a), "in order");
        assertEquals(IntStream.range(0, 300).boxed().toList(), recorder.delivered(a));
        assertEquals(IntStream.range(1000, 1070).boxed().toList(), recorder.delivered(b));
        assertEquals(1, recorder.drainedCount(a));
        assertEquals(1, recorder.drainedCount(b));
        assertTrue(checkpoints.stream().distinct().count() >= 300 / 32,
            "the checkpoint moved batch by batch: " + checkpoints.stream().distinct().count());
        assertEquals(List.of(), HandoffFixtures.segmentFiles(dir.resolve("hints")));
        HandoffSummary s = m.summary();
        assertEquals(List.of(), s.queues());
        assertEquals(370, s.delivered());
        assertEquals(bytes, s.deliveredBytes());
        assertEquals(0, store.stats(a).hints());
        assertEquals(37.0, s.replayHintsPerSecond(), 1e-9, "370 hints over the last 10 s");
        assertEquals(bytes / 10.0, s.replayBytesPerSecond(), 1e-9);
        time.advance(10_000);
        assertEquals(0.0, m.summary().replayHintsPerSecond(), "the rate forgets after 10 s");
        assertEquals(Set.of(), m.needsRepair());
        assertEquals(forA.size(), recorder.delivered(a).size());
      }
    }
  }

  @Test
  void aDownTargetIsNotReplayedAndOnUpStartsItOnTheExecutor() {
    Random r = HandoffFixtures.seeded("downThenUp");
    HandoffFixtures.ManualExecutor executor = new HandoffFixtures.ManualExecutor();
    try (HintStore store = HandoffFixtures.openStore(dir.resolve("hints"), time);
        HandoffManager m = manager(store, executor)) {
      append(store, a, r, 0, 50, time.currentTimeMillis());
      liveness.down(a);
      m.start();
      for (int i = 0; i < 5; i++) {
        time.advance(10_000);
        executor.runAll();
      }
      assertEquals(List.of(), targets.attempts(a), "no replay to a down target");
      HandoffSummary.TargetQueue q = m.summary().queues().get(0);
      assertEquals(50, q.hints());
      assertEquals(50_000, q.oldestAgeMillis());
      liveness.up(a);
      int asked = liveness.asked.get();
      m.onUp(a);
      assertEquals(List.of(), targets.attempts(a), "nothing runs on the caller's thread");
      assertEquals(asked, liveness.asked.get(), "not even the checks");
      assertEquals(1, executor.pending());
      executor.runAll();
      assertEquals(50, recorder.delivered(a).size(), "onUp replays at once, before any sweep");
      assertEquals(1, recorder.drainedCount(a));
    }
  }

  @Test
  void appendsDuringReplayAreAllDeliveredEventually() throws Exception {
    Random r = HandoffFixtures.seeded("appendsDuringReplay");
    long seed = r.nextLong();
    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    try (HintStore store = HandoffFixtures.openStore(dir.resolve("hints"), time);
        HandoffManager m = manager(store, DIRECT)) {
      targets.set(a, HandoffFixtures.Targets.behave(3, false));
      append(store, a, r, 0, 100, time.currentTimeMillis()).forEach(h -> acked.add(
          HandoffFixtures.seq(h.key())));
      Thread writer = Thread.ofPlatform().start(() -> {
        Random wr = new Random(seed);
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 100; i < 1100; i++) {
          int seq = i;
          acks.add(store.append(a, HandoffFixtures.hint(wr, i, time.currentTimeMillis()))
              .thenRun(() -> acked.add(seq)));
          if (wr.nextInt(10) == 0) {
            acks.get(acks.size() - 1).join();
          }
        }
        acks.forEach(CompletableFuture::join);
      });
      m.start();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (writer.isAlive() || !Set.copyOf(recorder.delivered(a)).containsAll(acked)) {
        time.advance(1_000);
        assertTrue(System.nanoTime() < deadline, "not all delivered: "
            + recorder.delivered(a).size() + " of " + acked.size());
      }
      assertEquals(1100, acked.size());
      assertEquals(0, m.summary().queued());
      assertEquals(Set.of(), m.needsRepair(), "a segment being written is not a torn one");
      assertEquals(0, store.tornTails() + store.corruptRecords());
      time.advance(20_000);
      assertEquals(List.of(), HandoffFixtures.segmentFiles(dir.resolve("hints")));
    }
  }
}
