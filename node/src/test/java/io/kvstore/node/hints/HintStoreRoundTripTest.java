package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.ring.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hints come back as written, in order, per target, across segment rolls and restarts. */
class HintStoreRoundTripTest {
  @TempDir Path dir;
  private final HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
  private final List<NodeId> targets =
      List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("node/3:7000"), NodeId.of("ñ4"));

  private Map<NodeId, List<Hint>> writeMany(HintStore store, Random r, int n) {
    Map<NodeId, List<Hint>> model = new HashMap<>();
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      NodeId t = targets.get(r.nextInt(targets.size()));
      Hint h = randomHint(r, clock.millis.getAndIncrement());
      model.computeIfAbsent(t, k -> new ArrayList<>()).add(h);
      acks.add(store.append(t, h));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
    return model;
  }

  @Test
  void manyHintsOverSeveralTargetsAndSegmentRollsReadBackInOrder() throws Exception {
    Random r = HintFixtures.seeded("roundTrip");
    Map<NodeId, List<Hint>> model;
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 16 << 10)) {
      model = writeMany(store, r, 600);
      for (NodeId t : model.keySet()) {
        assertEquals(model.get(t), hints(readAll(store.reader(t, 0))), t.id());
        HintStats s = store.stats(t);
        assertEquals(model.get(t).size(), s.hints());
        assertEquals(model.get(t).get(0).createdMillis(), s.oldestCreatedMillis());
      }
      assertEquals(0, store.corruptRecords() + store.tornTails());
    }
    long segments;
    try (var files = Files.list(dir)) {
      segments = files.filter(p -> p.toString().endsWith(".hint")).count();
    }
    assertTrue(segments > 2 * targets.size(), "segments rolled: " + segments);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 16 << 10)) {
      for (NodeId t : model.keySet()) {
        assertEquals(model.get(t), hints(readAll(store.reader(t, 0))), "after reopen " + t.id());
      }
      assertEquals(0, store.corruptRecords() + store.tornTails(), store.problems().toString());
    }
  }

  @Test
  void restartResumesFromTheCheckpointAndReplayingTwiceYieldsTheSameRecords() {
    Random r = HintFixtures.seeded("checkpoint");
    NodeId t = targets.get(0);
    List<Hint> all = new ArrayList<>();
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 8 << 10)) {
      for (int i = 0; i < 200; i++) {
        Hint h = randomHint(r, clock.millis.get());
        all.add(h);
        store.append(t, h).join();
      }
      List<HintRecord> first = readAll(store.reader(t, 0));
      assertEquals(first, readAll(store.reader(t, 0)), "replay twice, same records");
      store.checkpoint(t, first.get(119).next());
      int deleted = store.deleteSegmentsUpTo(t, first.get(119).next());
      assertTrue(deleted > 0, "fully delivered segments deleted");
    }
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 8 << 10)) {
      List<HintRecord> rest = readAll(store.reader(t, 0));
      assertEquals(all.subList(120, 200), hints(rest));
      assertEquals(rest, readAll(store.reader(t, 0)), "resumed replay is repeatable");
      store.append(t, all.get(0)).join();
      assertEquals(81, readAll(store.reader(t, 0)).size(), "new segment after restart is read");
    }
  }
}
