package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.ring.NodeId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replayer that keeps catching up with appenders seals and deletes the segment being appended
 * to each time it reaches its end; no acknowledged append may land in a deleted segment.
 */
class HintSealRaceTest {
  private static final int WRITERS = 4;
  private static final int PER_WRITER = 1500;
  @TempDir Path dir;

  @Test
  void sealingTheActiveSegmentWhileAppendsRunLosesNoAcknowledgedHint() throws Exception {
    Random r = HintFixtures.seeded("sealRace");
    long seed = r.nextLong();
    NodeId t = NodeId.of("n1");
    HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
    Set<Integer> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Set<Integer> replayed = new HashSet<>();
    AtomicInteger seals = new AtomicInteger();
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      AtomicBoolean done = new AtomicBoolean();
      List<Thread> writers = new java.util.ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        writers.add(Thread.ofPlatform().start(() -> {
          Random wr = new Random(seed + id);
          for (int i = 0; i < PER_WRITER; i++) {
            int key = id * PER_WRITER + i;
            store.append(t, ByteBuffer.allocate(4).putInt(key).array(), new byte[wr.nextInt(50)],
                HintFixtures.COORD).join();
            acked.add(key);
          }
        }));
      }
      Thread.ofPlatform().start(() -> {
        writers.forEach(HintSealRaceTest::join);
        done.set(true);
      });
      while (true) {
        boolean last = done.get();
        int before = HintFixtures.segmentFiles(dir).size();
        HintReader reader = store.reader(t, 0);
        for (HintRecord rec : readAll(reader)) {
          replayed.add(ByteBuffer.wrap(rec.hint().key()).getInt());
        }
        store.checkpoint(t, reader.position());
        int deleted = store.deleteSegmentsUpTo(t, reader.position());
        seals.addAndGet(deleted > 0 && before == deleted ? 1 : 0);
        if (last) {
          break;
        }
      }
      assertEquals(acked, replayed, "every acknowledged hint was replayed");
      assertEquals(WRITERS * PER_WRITER, acked.size());
      assertEquals(List.of(), HintFixtures.segmentFiles(dir));
      assertEquals(0, store.stats(t).hints());
      assertEquals(0, store.tornTails() + store.corruptRecords(),
          "a segment being written is never read as torn: " + store.problems());
      System.out.println("sealRace: active segment sealed and deleted " + seals.get() + " times");
      assertTrue(seals.get() > 0, "the race was exercised");
    }
  }

  private static void join(Thread th) {
    try {
      th.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
