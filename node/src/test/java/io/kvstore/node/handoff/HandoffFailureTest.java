package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.hints.HintPosition;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.lsm.testing.SeededRandom;
import io.kvstore.node.hints.HintFixtures;
import io.kvstore.node.hints.HintStore;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target that fails is backed off and retried, loses nothing, and the checkpoint never passes a
 * hint it did not acknowledge; a crash in mid-replay resumes from the checkpoint.
 */
@ExtendWith(SeededRandom.class)
class HandoffFailureTest {
  private static final int BATCH = 16;
  @TempDir Path dir;
  private final HandoffFixtures.Harness h = new HandoffFixtures.Harness();
  private final NodeId a = NodeId.of("a");

  private HandoffManager manager(HintStore store) {
    return h.manager(store, DIRECT, HandoffFixtures.config(0, BATCH), dir.resolve("flags"));
  }

  @Test
  void aFailingTargetBacksOffRetriesAndLosesNothing(Random r) {
    long seed = r.nextLong();
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 200, h.time.currentTimeMillis());
      Map<Integer, HintPosition> positions = new HashMap<>();
      for (HintRecord rec : HintFixtures.readAll(store.reader(a, 0))) {
        positions.put(HandoffFixtures.seq(rec.hint().key()), rec.position());
      }
      // the first 8 deliveries fail (four rounds: window 4, 2, 1, 1), then 1 in 25 at random;
      // answers take 2 ms
      Random fr = new Random(seed);
      h.targets.set(a, new HandoffFixtures.Targets.Behaviour() {
        @Override
        public long latency(int n) {
          return 2;
        }

        @Override
        public boolean fails(int n) {
          return n < 8 || fr.nextInt(25) == 0;
        }
      });
      List<String> violations = new ArrayList<>();
      h.targets.onDeliver((t, hint) -> {
        HintPosition ckpt = store.checkpoint(a);
        Set<Integer> acked = h.targets.ackedSet(a);
        positions.forEach((seq, pos) -> {
          if (pos.compareTo(ckpt) < 0 && !acked.contains(seq)) {
            violations.add("checkpoint " + ckpt + " passed unacked hint " + seq);
          }
        });
      });
      m.start();
      Set<Integer> all = new HashSet<>(IntStream.range(0, 200).boxed().toList());
      for (int minute = 0; minute < 120 && !h.targets.ackedSet(a).equals(all); minute++) {
        h.time.advance(60_000);
      }
      assertEquals(List.of(), violations.stream().limit(5).toList());
      assertEquals(all, h.targets.ackedSet(a), "every hint acknowledged in the end");
      assertEquals(all, new HashSet<>(h.recorder.delivered(a)));
      assertEquals(1, h.recorder.drainedCount(a));
      assertEquals(0, store.stats(a).hints());
      List<Long> times = h.targets.attemptTimes(a);
      List<Integer> attempts = h.targets.attempts(a);
      List<Long> gaps = new ArrayList<>(); // between the rounds of the first failures
      for (int i = 1; i < times.size() && gaps.size() < 4; i++) {
        if (times.get(i) - times.get(i - 1) >= 500) {
          gaps.add(times.get(i) - times.get(i - 1));
        }
      }
      assertTrue(gaps.size() == 4 && gaps.get(0) >= 1_000 && gaps.get(1) >= 2_000
          && gaps.get(2) >= 4_000 && gaps.get(3) >= 8_000, "backoff 1 s, 2 s, 4 s, 8 s: " + gaps);
      assertEquals(List.of(0, 1, 2, 3, 0, 1, 0, 0, 0), attempts.subList(0, 9),
          "each retry starts again at the checkpoint, with the window halved");
      assertTrue(attempts.size() > 200, "failed hints were sent again: " + attempts.size());
    }
  }

  @Test
  void deliveriesThatNeverAnswerFailTheirBatchAfterTheTimeoutAndAreRetried(Random r) {
    try (HintStore store = h.openStore(dir.resolve("hints"));
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 40, h.time.currentTimeMillis());
      h.targets.set(a, new HandoffFixtures.Targets.Behaviour() {
        @Override
        public long latency(int n) {
          return n == 1 ? -1 : 1; // the second delivery is never answered
        }

        @Override
        public boolean fails(int n) {
          return false;
        }
      });
      m.onUp(a);
      h.time.advance(HandoffManager.DELIVERY_TIMEOUT_MILLIS - 1);
      assertEquals(List.of(), h.recorder.delivered(a), "the batch waits for its last answer");
      assertEquals(0, store.checkpoint(a).segment());
      // the other answers came at once; the watchdog fails the batch after a full timeout
      // with no answer at all, i.e. by twice the timeout
      h.time.advance(HandoffManager.DELIVERY_TIMEOUT_MILLIS + 1 + 1_000 + 1_000);
      assertEquals(IntStream.range(0, 40).boxed().toList(), h.recorder.delivered(a),
          "timed out, backed off 1 s, retried");
      assertEquals(1, h.recorder.drainedCount(a));
    }
  }

  @Test
  void aCrashInMidReplayResumesFromTheCheckpointRedeliveringAtMostTheUnackedBatch(Random r) {
    int answered = BATCH * 3 + r.nextInt(BATCH); // then the target stops answering
    Path hints = dir.resolve("hints");
    HintStore store = h.openStore(hints);
    append(store, a, r, 0, 150, h.time.currentTimeMillis());
    h.targets.set(a, new HandoffFixtures.Targets.Behaviour() {
      @Override
      public long latency(int n) {
        return n < answered ? 1 : -1;
      }

      @Override
      public boolean fails(int n) {
        return false;
      }
    });
    HandoffManager m = manager(store);
    m.start();
    h.time.advance(5_000);
    List<Integer> ackedBefore = h.targets.acked(a);
    assertEquals(answered, ackedBefore.size());
    HintPosition ckpt = store.checkpoint(a);
    m.close(); // the "crash": no more steps, the store closed under the replay
    store.close();
    h.targets.set(a, HandoffFixtures.Targets.ACK_AT_ONCE);
    try (HintStore reopened = h.openStore(hints);
        HandoffManager again = manager(reopened)) {
      assertEquals(ckpt, reopened.checkpoint(a), "the checkpoint survived");
      again.onUp(a);
      h.time.advance(1_000);
      List<Integer> after = h.targets.acked(a).subList(answered, h.targets.acked(a).size());
      Set<Integer> redelivered = new HashSet<>(after);
      redelivered.retainAll(ackedBefore);
      assertTrue(redelivered.size() < BATCH,
          "redelivered only the unacknowledged batch's hints: " + redelivered.size());
      assertEquals(answered / BATCH * BATCH, after.get(0), "resumed at the checkpoint");
      Set<Integer> all = new HashSet<>(ackedBefore);
      all.addAll(after);
      assertEquals(150, all.size(), "nothing lost");
      assertEquals(0, reopened.stats(a).hints());
    }
  }
}
