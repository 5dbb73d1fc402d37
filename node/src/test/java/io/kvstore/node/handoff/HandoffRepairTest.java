package io.kvstore.node.handoff;

import static io.kvstore.node.handoff.HandoffFixtures.DIRECT;
import static io.kvstore.node.handoff.HandoffFixtures.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.SimulatedTime;
import io.kvstore.ring.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md 6: lost hints (expired past the window, corrupt, torn) are skipped, counted, and their
 * target is flagged for anti-entropy; the flag survives restarts and a damaged flag file.
 */
class HandoffRepairTest {
  @TempDir Path dir;
  private final SimulatedTime time = new SimulatedTime();
  private final HandoffFixtures.Targets targets = new HandoffFixtures.Targets(time);
  private final HandoffFixtures.Recorder recorder = new HandoffFixtures.Recorder();
  private final HandoffFixtures.Switchboard liveness = new HandoffFixtures.Switchboard();
  private final NodeId a = NodeId.of("a");
  private final NodeId b = NodeId.of("b");

  private HandoffManager manager(HintStore store) {
    return new HandoffManager(HandoffFixtures.SELF, store, targets, liveness, time, time, DIRECT,
        HandoffFixtures.config(0, 16), dir.resolve("flags"), recorder);
  }

  @Test
  void expiredHintsAreDroppedTheirTargetFlaggedAndTheFlagSurvivesAReopen() {
    Random r = HandoffFixtures.seeded("expiry");
    Path hints = dir.resolve("hints");
    try (HintStore store = HandoffFixtures.openStore(hints, time);
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 40, time.currentTimeMillis());
      append(store, b, r, 100, 5, time.currentTimeMillis());
      liveness.down(a);
      liveness.down(b);
      m.start();
      time.advance(HandoffFixtures.WINDOW_MILLIS / 2);
      append(store, b, r, 105, 5, time.currentTimeMillis()); // b: 5 old, 5 young, one segment
      time.advance(HandoffFixtures.WINDOW_MILLIS / 2 + 20_000);
      assertEquals(Set.of(a, b), m.needsRepair(),
          "both lost hints to the window, b's still on disk beside younger ones");
      HandoffSummary s = m.summary();
      assertEquals(40, s.expired(), "dropped with a's segment: " + s);
      assertEquals(List.of(new HandoffSummary.TargetQueue(a, 0, 0, 0, true)),
          s.queues().subList(0, 1));
      assertEquals(10, s.queues().get(1).hints(), "b's expired hints count until skipped");
      liveness.up(b);
      m.onUp(b);
      assertEquals(List.of(105, 106, 107, 108, 109), recorder.delivered(b));
      assertEquals(45, m.summary().expired(), "b's skipped by the replay");
      assertEquals(List.of(new HandoffSummary.TargetQueue(b, 0, 0, 0, true)),
          m.summary().queues().subList(1, 2));
      assertEquals(List.of(), targets.attempts(a));
    }
    try (HintStore store = HandoffFixtures.openStore(hints, time);
        HandoffManager m = manager(store)) {
      assertEquals(Set.of(a, b), m.needsRepair(), "flags reloaded");
      m.clearNeedsRepair(a);
    }
    try (HintStore store = HandoffFixtures.openStore(hints, time);
        HandoffManager m = manager(store)) {
      assertEquals(Set.of(b), m.needsRepair(), "clearing is persisted too");
    }
  }

  @Test
  void aFlippedBitAndATornTailDeliverEveryGoodRecordAndFlagTheTarget() throws Exception {
    Random r = HandoffFixtures.seeded("corruptSegment");
    Path hints = dir.resolve("hints");
    List<HintRecord> written;
    try (HintStore store = HandoffFixtures.openStore(hints, time)) {
      append(store, a, r, 0, 30, time.currentTimeMillis());
      written = HandoffFixtures.readAll(store.reader(a, 0));
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
    try (HintStore store = HandoffFixtures.openStore(hints, time);
        HandoffManager m = manager(store)) {
      m.start();
      time.advance(1_000);
      assertEquals(good, recorder.delivered(a), "every good record, in order");
      assertEquals(Set.of(a), m.needsRepair());
      HandoffSummary s = m.summary();
      assertEquals(1, s.corrupt());
      assertEquals(1, s.torn());
      assertEquals(List.of(new HandoffSummary.TargetQueue(a, 0, 0, 0, true)), s.queues());
      assertEquals(List.of(), HandoffFixtures.segmentFiles(hints), "the damaged segment is gone");
    }
  }

  @Test
  void aDamagedFlagFileMeansEveryKnownTargetNeedsRepairAndIsRewritten() throws Exception {
    Random r = HandoffFixtures.seeded("damagedFlags");
    Path hints = dir.resolve("hints");
    try (HintStore store = HandoffFixtures.openStore(hints, time);
        HandoffManager m = manager(store)) {
      append(store, a, r, 0, 3, time.currentTimeMillis());
      liveness.down(a);
      liveness.down(b);
      time.advance(HandoffFixtures.WINDOW_MILLIS + 20_000);
      append(store, a, r, 3, 3, time.currentTimeMillis()); // same segment: a keeps a log
      append(store, b, r, 10, 3, time.currentTimeMillis());
      m.start();
      time.advance(1_000);
      assertEquals(Set.of(a), m.needsRepair(), "a lost 3 hints, b none");
    }
    Path flags = dir.resolve("flags");
    long size = Files.size(flags);
    FileCorruptor.flipBit(flags, r.nextInt((int) size), r.nextInt(8));
    try (HintStore store = HandoffFixtures.openStore(hints, time);
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
