package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints older than the hint window (DESIGN.md 6: default 3 h) are dropped, counted, flagged. */
class HintExpiryTest {
  private static final long WINDOW = 3 * 3600_000L;
  @TempDir Path dir;

  @Test
  void oldHintsAreDroppedCountedAndTheirTargetFlagged() throws Exception {
    Random r = HintFixtures.seeded("expiry");
    HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
    NodeId a = NodeId.of("a");
    NodeId b = NodeId.of("b");
    List<Hint> fresh = new ArrayList<>();
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 2 << 10)) {
      for (int i = 0; i < 30; i++) {
        store.append(a, new byte[] {(byte) i}, new byte[300], HintFixtures.COORD).join();
      }
      clock.millis.addAndGet(WINDOW + 1);
      for (int i = 0; i < 10; i++) {
        Hint h = randomHint(r, clock.millis.get());
        fresh.add(h);
        store.append(a, h).join();
        store.append(b, h).join();
      }
      long cutoff = clock.millis.get() - WINDOW;
      long held = store.stats(a).hints();
      Set<NodeId> lost = store.dropOlderThan(cutoff);
      assertEquals(Set.of(a), lost);
      long dropped = store.expiredHints();
      assertEquals(held - store.stats(a).hints(), dropped);
      HintReader reader = store.reader(a, cutoff);
      assertEquals(fresh, hints(readAll(reader)), "old hints in a mixed segment skipped");
      assertEquals(30, dropped + reader.expired(), "every old hint counted once");
      assertEquals(30, store.expiredHints());
      assertEquals(fresh, hints(readAll(store.reader(b, cutoff))));
      assertEquals(Set.of(), store.dropOlderThan(cutoff), "nothing more to drop");
      for (int i = 0; i < 3; i++) {
        readAll(store.reader(a, cutoff));
      }
      assertEquals(30, store.expiredHints(), "readers passing them again count nothing");
    }
  }

  @Test
  void anActiveSegmentWhoseHintsAllExpiredIsSealedAndDropped() throws Exception {
    Random r = HintFixtures.seeded("expireActive");
    HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
    NodeId a = NodeId.of("a");
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      List<HintRecord> old = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        store.append(a, randomHint(r, clock.millis.get())).join();
      }
      old.addAll(readAll(store.reader(a, 0)));
      store.checkpoint(a, old.get(3).next()); // 4 delivered, 8 not
      clock.millis.addAndGet(WINDOW + 1);
      long cutoff = clock.millis.get() - WINDOW;
      assertEquals(1, HintFixtures.segmentFiles(dir).size());
      assertEquals(Set.of(a), store.dropOlderThan(cutoff));
      assertEquals(List.of(), HintFixtures.segmentFiles(dir), "the active segment was dropped");
      assertEquals(8, store.expiredHints(), "only undelivered hints count as lost");
      assertEquals(0, store.stats(a).hints());
      Hint fresh = randomHint(r, clock.millis.get());
      store.append(a, fresh).join();
      assertEquals(List.of(fresh), hints(readAll(store.reader(a, cutoff))), "appends go on");
      assertEquals(Set.of(), store.dropOlderThan(cutoff));
    }
  }
}
