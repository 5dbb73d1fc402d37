package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.hints;
import static io.kvstore.node.hints.HintFixtures.randomHint;
import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.ring.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad record is skipped and reported with file and offset; it never blocks the rest. */
class HintCorruptionTest {
  @TempDir Path dir;
  private final HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
  private final NodeId t = NodeId.of("n1");

  private List<HintRecord> write(Random r, int n) {
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      for (int i = 0; i < n; i++) {
        store.append(t, randomHint(r, clock.millis.getAndIncrement())).join();
      }
      return readAll(store.reader(t, 0));
    }
  }

  @Test
  void bitFlipInOneRecordAndTornTailDeliverEveryOtherGoodRecord() throws Exception {
    Random r = HintFixtures.seeded("bitFlipAndTornTail");
    List<HintRecord> good = write(r, 40);
    int bad = 1 + r.nextInt(30);
    HintRecord victim = good.get(bad);
    Path file = victim.file();
    long payloadAt = victim.position().offset() + HintFormat.RECORD_HEADER_SIZE;
    long span = victim.next().offset() - payloadAt;
    FileCorruptor.flipBit(file, payloadAt + r.nextInt((int) span), r.nextInt(8));
    HintRecord last = good.get(39);
    FileCorruptor.truncate(file, last.position().offset() + 1 + r.nextInt(20));

    List<Hint> expected = new ArrayList<>(hints(good.subList(0, 39)));
    expected.remove(bad);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      assertEquals(1, store.corruptRecords(), store.problems().toString());
      assertEquals(1, store.tornTails());
      HintProblem p = store.problems().get(0);
      assertEquals(HintProblem.Kind.CORRUPT, p.kind());
      assertEquals(file, p.file());
      assertEquals(victim.position().offset(), p.offset());
      HintReader reader = store.reader(t, 0);
      assertEquals(expected, hints(readAll(reader)));
      assertEquals(1, reader.corrupt());
      assertEquals(1, reader.torn());
      assertEquals(last.position().offset(), reader.problems().get(1).offset());
      store.append(t, good.get(0).hint()).join();
      assertEquals(expected.size() + 1, readAll(store.reader(t, 0)).size(), "appends go on");
    }
  }

  @Test
  void eachBadRecordIsCountedOnceHoweverManyReadersPassIt() throws Exception {
    Random r = HintFixtures.seeded("countedOnce");
    List<HintRecord> good = write(r, 20);
    HintRecord victim = good.get(5);
    FileCorruptor.flipBit(victim.file(), victim.next().offset() - 1, 2);
    FileCorruptor.truncate(victim.file(), good.get(19).position().offset() + 5);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      store.append(t, good.get(0).hint()).join(); // a second, clean segment
      for (int pass = 0; pass < 3; pass++) {
        HintReader reader = store.reader(t, 0);
        assertEquals(18 + 1, readAll(reader).size(), "18 good ones and the new one");
        assertEquals(1, reader.corrupt(), "a reader counts what it met");
        assertEquals(1, reader.torn());
        assertEquals(1, store.corruptRecords(), "pass " + pass);
        assertEquals(1, store.tornTails(), "pass " + pass);
      }
      HintReader all = store.reader(t, 0);
      readAll(all);
      store.checkpoint(t, all.position());
      assertEquals(2, store.deleteSegmentsUpTo(t, all.position()),
          "a segment ending in a torn tail is deleted once read past, and the active one");
      assertEquals(List.of(), HintFixtures.segmentFiles(dir));
      assertEquals(1, store.corruptRecords());
    }
  }

  @Test
  void damagedLengthSkipsTheRestOfThatSegmentOnly() throws Exception {
    Random r = HintFixtures.seeded("damagedLength");
    List<HintRecord> first = write(r, 10);
    List<HintRecord> second = write(r, 10); // a reopen starts a second segment
    HintRecord victim = first.get(4);
    FileCorruptor.flipBit(victim.file(), victim.position().offset() + 2, 3);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      List<Hint> expected = new ArrayList<>(hints(first.subList(0, 4)));
      expected.addAll(hints(second.subList(10, 20)));
      assertEquals(expected, hints(readAll(store.reader(t, 0))));
      assertEquals(1, store.problems().size());
      assertEquals(victim.position().offset(), store.problems().get(0).offset());
    }
  }

  @Test
  void corruptHeaderAndCheckpointAreReportedNotThrown() throws Exception {
    Random r = HintFixtures.seeded("badHeader");
    List<HintRecord> recs = write(r, 5);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      store.checkpoint(t, recs.get(2).next());
    }
    FileCorruptor.flipBit(recs.get(0).file(), 5, 0);
    Path ckpt = dir.resolve(HintFiles.checkpointName(t));
    FileCorruptor.flipBit(ckpt, 10, 1);
    try (HintStore store = HintStore.open(DefaultEnv.INSTANCE, dir, clock, 1 << 20)) {
      assertEquals(2, store.corruptRecords(), store.problems().toString());
      assertEquals(HintPosition.START, store.checkpoint(t));
      assertEquals(List.of(), readAll(store.reader(t, 0)));
    }
    assertEquals(HintFormat.CHECKPOINT_SIZE, Files.size(ckpt));
  }
}
