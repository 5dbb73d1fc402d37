package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.lsm.testing.SeededRandom;
import io.kvstore.node.hints.HintFixtures;
import io.kvstore.node.hints.HintStore;
import io.kvstore.ring.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md 6: lost hints (expired past the window, corrupt, torn) are skipped, counted, and their
 * target is flagged for anti-entropy; the flag survives restarts and a damaged flag file.
 */
@ExtendWith(SeededRandom.class)
class HandoffRepairTest {
  @TempDir Path dir;
  private final HandoffFixtures.Harness h = new HandoffFixtures.Harness();
  private final NodeId a = NodeId.of("a");
  private final NodeId b = NodeId.of("b");

  private HandoffManager manager(HintStore store) {
    return h.manager(store, DIRECT, HandoffFixtures.config(0, 16), dir.resolve("flags"));
  }

  @Test
  void expiredHintsAreDroppedTheirTargetFlaggedAndTheFlagSurvivesAReopen(Random r) {
    Path hints = dir.resolve("hints");
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 40, h.time.currentTimeMillis());
      append(store, b, r, 100, 5, h.time.currentTimeMillis());
      h.liveness.down(a);
      h.liveness.down(b);
      m.start();
      h.time.advance(HandoffFixtures.WINDOW_MILLIS / 2);
      append(store, b, r, 105, 5, h.time.currentTimeMillis()); // b: 5 old, 5 young, one segment
      h.time.advance(HandoffFixtures.WINDOW_MILLIS / 2 + 20_000);
      assertEquals(Set.of(a, b), m.needsRepair(),
          "both lost hints to the window, b's still on disk beside younger ones");
      HandoffSummary s = m.summary();
      assertEquals(40, s.expired(), "dropped with a's segment: " + s);
      assertEquals(List.of(new HandoffSummary.TargetQueue(a, 0, 0, 0, true)),
          s.queues().subList(0, 1));
      assertEquals(10, s.queues().get(1).hints(), "b's expired hints count until skipped");
      h.liveness.up(b);
      m.onUp(b);
      assertEquals(List.of(105, 106, 107, 108, 109), h.recorder.delivered(b));
      assertEquals(45, m.summary().expired(), "b's skipped by the replay");
      assertEquals(List.of(new HandoffSummary.TargetQueue(b, 0, 0, 0, true)),
          m.summary().queues().subList(1, 2));
      assertEquals(List.of(), h.targets.attempts(a));
    }
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      assertEquals(Set.of(a, b), m.needsRepair(), "flags reloaded");
      m.clearNeedsRepair(a);
    }
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      assertEquals(Set.of(b), m.needsRepair(), "clearing is persisted too");
    }
  }

  @Test
  void aFlippedBitAndATornTailDeliverEveryGoodRecordAndFlagTheTarget(Random r) throws Exception {
    Path hints = dir.resolve("hints");
    List<HintRecord> written;
    try (HintStore store = h.openStore(hints)) {
      append(store, a, r, 0, 30, h.time.currentTimeMillis());
      written = HintFixtures.readAll(store.reader(a, 0));
    }
    HintRecord victim = written.get(3 + r.nextInt(20));
    long payload = victim.position().offset() + 12;
    FileCorruptor.flipBit(victim.file(), payload + r.nextInt((int) (victim.next().offset()
        - payload)), r.nextInt(8));
    HintRecord last = written.get(written.size() - 1);
    if (!last.file().equals(victim.file())) {
      throw new AssertionError("expected one segment");
    }
    FileCorruptor.truncate(last.file(), last.position().offset() + 1 + r.nextInt(20));
    List<Integer> good = new ArrayList<>();
    for (HintRecord h : written.subList(0, written.size() - 1)) {
      if (h != victim) {
        good.add(HandoffFixtures.seq(h.hint().key()));
      }
    }
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      m.start();
      h.time.advance(1_000);
      assertEquals(good, h.recorder.delivered(a), "every good record, in order");
      assertEquals(Set.of(a), m.needsRepair());
      HandoffSummary s = m.summary();
      assertEquals(1, s.corrupt());
      assertEquals(1, s.torn());
      assertEquals(List.of(new HandoffSummary.TargetQueue(a, 0, 0, 0, true)), s.queues());
      assertEquals(List.of(), HintFixtures.segmentFiles(hints), "the damaged segment is gone");
    }
  }

  @Test
  void aDamagedFlagFileMeansEveryKnownTargetNeedsRepairAndIsRewritten(Random r) throws Exception {
    Path hints = dir.resolve("hints");
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 3, h.time.currentTimeMillis());
      h.liveness.down(a);
      h.liveness.down(b);
      h.time.advance(HandoffFixtures.WINDOW_MILLIS + 20_000);
      append(store, a, r, 3, 3, h.time.currentTimeMillis()); // same segment: a keeps a log
      append(store, b, r, 10, 3, h.time.currentTimeMillis());
      m.start();
      h.time.advance(1_000);
      assertEquals(Set.of(a), m.needsRepair(), "a lost 3 hints, b none");
    }
    Path flags = dir.resolve("flags");
    long size = Files.size(flags);
    FileCorruptor.flipBit(flags, r.nextInt((int) size), r.nextInt(8));
    try (HintStore store = h.openStore(hints);
        HandoffManager m = manager(store)) {
      assertEquals(Set.of(a, b), m.needsRepair(), "damage: assume every known target");
      assertEquals(Set.of(a, b), RepairFlags.decode(Files.readAllBytes(flags)), "rewritten");
    }
  }

  @Test
  void flagFileRoundTripsAndEveryBitFlipIsDetected() {
    Set<NodeId> ids = Set.of(a, b, NodeId.of("node/3:7000"), NodeId.of("ñ4"));
    byte[] f = RepairFlags.encode(new java.util.TreeSet<>(ids));
    assertEquals(ids, RepairFlags.decode(f));
    assertEquals(Set.of(), RepairFlags.decode(RepairFlags.encode(List.of())));
    for (int bit = 0; bit < f.length * 8; bit++) {
      byte[] g = f.clone();
      g[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(IllegalArgumentException.class, () -> RepairFlags.decode(g), "bit " + bit);
    }
    for (int len = 0; len < f.length; len++) {
      byte[] g = java.util.Arrays.copyOf(f, len);
      assertThrows(IllegalArgumentException.class, () -> RepairFlags.decode(g), "cut at " + len);
    }
    assertTrue(f.length > 16);
  }
}
