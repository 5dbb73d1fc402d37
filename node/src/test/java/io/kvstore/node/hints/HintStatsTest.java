package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stats} counts exactly the undelivered hints (durable, at or after the checkpoint), and a
 * fully delivered target ends with no segment files and zero stats, also across restarts.
 */
class HintStatsTest {
  @TempDir Path dir;
  private final HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
  private final NodeId t = NodeId.of("n1");

  /** What a model of the undelivered records says stats must be. */
  private static HintStats expected(NodeId t, List<HintRecord> undelivered) {
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    for (HintRecord r : undelivered) {
      bytes += r.next().offset() - r.position().offset();
      oldest = Math.min(oldest, r.hint().createdMillis());
    }
    return new HintStats(t, undelivered.size(), bytes, oldest);
  }

  private List<HintRecord> appendRandom(HintStore store, Random r, int n) {
    for (int i = 0; i < n; i++) {
      // creation times out of order, so "oldest" is not simply the first undelivered record
      store.append(t, randomHint(r, clock.millis.get() + r.nextInt(10_000))).join();
    }
    return readAll(store.reader(t, 0));
  }

  @Test
  void statsCountOnlyUndeliveredHintsAsTheCheckpointMovesAndAfterReopen() {
    Random r = HintFixtures.seeded("undeliveredStats");
    List<HintRecord> all;
    int last = 0;
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 6 << 10)) {
      all = appendRandom(store, r, 120);
      assertEquals(expected(t, all), store.stats(t));
      for (int delivered = 0; delivered < 60; delivered += 1 + r.nextInt(15)) {
        last = delivered;
        store.checkpoint(t, all.get(delivered).next());
        List<HintRecord> left = all.subList(delivered + 1, all.size());
        assertEquals(expected(t, left), store.stats(t), "after delivering " + (delivered + 1));
        if (r.nextBoolean()) {
          store.deleteSegmentsUpTo(t, all.get(delivered).next());
          assertEquals(expected(t, left), store.stats(t), "after deleting, " + (delivered + 1));
        }
      }
    }
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 6 << 10)) {
      List<HintRecord> left = readAll(store.reader(t, 0));
      assertEquals(hints(all.subList(last + 1, all.size())), hints(left));
      assertEquals(expected(t, left), store.stats(t), "after reopen");
      HintRecord mid = left.get(left.size() / 2);
      store.checkpoint(t, mid.next()); // into a sealed segment not indexed at open
      assertEquals(expected(t, left.subList(left.indexOf(mid) + 1, left.size())), store.stats(t));
      store.append(t, randomHint(r, 1)).join(); // the new oldest, in a new active segment
      assertEquals(1, store.stats(t).oldestCreatedMillis());
    }
  }

  @Test
  void fullyDeliveredTargetEndsWithNoSegmentFilesAndZeroStatsThenGoesOn() throws Exception {
    Random r = HintFixtures.seeded("fullyDelivered");
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 4 << 10)) {
      for (int round = 0; round < 3; round++) {
        List<Hint> written = hints(appendRandom(store, r, 10 + r.nextInt(40)));
        HintReader reader = store.reader(t, 0);
        List<HintRecord> got = readAll(reader);
        assertEquals(written, hints(got), "round " + round);
        store.checkpoint(t, reader.position());
        assertTrue(store.deleteSegmentsUpTo(t, reader.position()) > 0);
        assertEquals(List.of(), HintFixtures.segmentFiles(dir), "round " + round);
        assertEquals(new HintStats(t, 0, 0, Long.MAX_VALUE), store.stats(t));
      }
      store.append(t, randomHint(r, clock.millis.get())).join();
      assertEquals(1, store.stats(t).hints(), "an append after the seal starts a new segment");
      assertEquals(1, readAll(store.reader(t, 0)).size());
    }
    List<Hint> more = new ArrayList<>();
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 4 << 10)) {
      HintReader reader = store.reader(t, 0);
      assertEquals(1, readAll(reader).size());
      store.checkpoint(t, reader.position());
      store.deleteSegmentsUpTo(t, reader.position());
      assertEquals(List.of(), HintFixtures.segmentFiles(dir), "sealed at reopen, deleted");
    }
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 4 << 10)) {
      for (int i = 0; i < 5; i++) {
        Hint h = randomHint(r, clock.millis.get());
        more.add(h);
        store.append(t, h).join();
      }
      assertEquals(more, hints(readAll(store.reader(t, 0))),
          "segments made after a full delivery and a restart lie after the checkpoint");
      assertEquals(5, store.stats(t).hints());
    }
  }
}
