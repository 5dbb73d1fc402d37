package io.kvstore.lsm.wal;

import static io.kvstore.lsm.wal.WalFixtures.assertPayloads;
import static io.kvstore.lsm.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.lsm.testing.SeededRandom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** FORMAT.md "Reading and recovery": what a torn tail is, in the last segment and in others. */
@ExtendWith(SeededRandom.class)
class LogTornTailTest {
  private final DefaultEnv env = DefaultEnv.INSTANCE;
  @TempDir Path dir;

  @Test
  void cutAtEveryByteOfTheLastRecordYieldsTheEarlierRecordsAndTornOffset(Random rnd)
      throws Exception {
    for (int lastSize : new int[] {0, 1, 13, 100 + rnd.nextInt(300)}) {
      List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 1 + rnd.nextInt(5));
      payloads.add(WalFixtures.randomPayload(rnd, lastSize));
      Path full = dir.resolve("full.log");
      List<Long> starts = WalFixtures.writeSegment(env, full, 1, payloads);
      long lastStart = starts.get(starts.size() - 1);
      long end = Files.size(full);
      List<byte[]> earlier = payloads.subList(0, payloads.size() - 1);
      Path cut = dir.resolve("cut.log");
      for (long at = lastStart; at <= end; at++) {
        WalFixtures.copy(full, cut);
        FileCorruptor.truncate(cut, at);
        try (LogReader r = LogReader.open(env, cut, true)) {
          String where = "last payload " + lastSize + " bytes, cut at " + at;
          if (at == end) {
            assertPayloads(payloads, readAll(r));
            assertEquals(-1, r.tornTailOffset(), where);
          } else {
            assertPayloads(earlier, readAll(r));
            assertEquals(at == lastStart ? -1 : lastStart, r.tornTailOffset(), where);
          }
        }
      }
    }
  }

  @Test
  void cutInsideALargeLastRecordIsATornTail(Random rnd) throws Exception {
    List<byte[]> payloads = List.of(new byte[] {1, 2}, WalFixtures.randomPayload(rnd, 300_000));
    Path file = dir.resolve("large.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    FileCorruptor.truncate(file, starts.get(1) + 1 + rnd.nextInt(300_010));
    try (LogReader r = LogReader.open(env, file, true)) {
      assertPayloads(payloads.subList(0, 1), readAll(r));
      assertEquals(starts.get(1), r.tornTailOffset());
    }
  }

  @Test
  void zeroFilledTailAfterTheLastRecordIsTolerated(Random rnd) throws Exception {
    for (int zeros : new int[] {1, 11, 12, 13, 4096, 100_000}) {
      List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 4);
      Path file = dir.resolve("zeros-" + zeros + ".log");
      WalFixtures.writeSegment(env, file, 1, payloads);
      long validEnd = Files.size(file);
      Files.write(file, new byte[zeros], StandardOpenOption.APPEND);
      try (LogReader r = LogReader.open(env, file, true)) {
        assertPayloads(payloads, readAll(r));
        assertEquals(validEnd, r.tornTailOffset(), zeros + " zeros");
      }
    }
  }

  @Test
  void lastRecordWhosePagesReadAsZerosIsATornTail(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 3);
    payloads.add(WalFixtures.randomPayload(rnd, 500));
    Path file = dir.resolve("zeroed.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    long last = starts.get(3);
    // Whole record zeroed (file size extended, data never written): row 3.
    Path whole = dir.resolve("whole.log");
    WalFixtures.copy(file, whole);
    FileCorruptor.overwrite(whole, last, new byte[12 + 500]);
    // Only the end of the payload zeroed, header intact: row 7.
    Path partial = dir.resolve("partial.log");
    WalFixtures.copy(file, partial);
    FileCorruptor.overwrite(partial, last + 12 + 200, new byte[300]);
    Files.write(partial, new byte[1000], StandardOpenOption.APPEND);
    for (Path p : List.of(whole, partial)) {
      try (LogReader r = LogReader.open(env, p, true)) {
        assertPayloads(payloads.subList(0, 3), readAll(r));
        assertEquals(last, r.tornTailOffset(), p.toString());
      }
    }
  }

  @Test
  void checksumFailureInTheFinalRecordIsIndistinguishableFromATornWrite(Random rnd)
      throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 3);
    payloads.add(WalFixtures.randomPayload(rnd, 40));
    Path file = dir.resolve("flip-last.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    FileCorruptor.flipBit(file, starts.get(3) + 12 + rnd.nextInt(40), rnd.nextInt(8));
    try (LogReader r = LogReader.open(env, file, true)) {
      assertPayloads(payloads.subList(0, 3), readAll(r));
      assertEquals(starts.get(3), r.tornTailOffset());
    }
  }

  @Test
  void segmentHeaderCutShortInTheLastSegmentIsATornTailAtZero() throws Exception {
    Path full = dir.resolve("hdr.log");
    WalFixtures.writeSegment(env, full, 9, List.of());
    Path cut = dir.resolve("hdr-cut.log");
    for (long at = 0; at < LogFormat.SEGMENT_HEADER_SIZE; at++) {
      WalFixtures.copy(full, cut);
      FileCorruptor.truncate(cut, at);
      try (LogReader r = LogReader.open(env, cut, true)) {
        assertEquals(null, r.next());
        assertEquals(0, r.tornTailOffset(), "cut at " + at);
        assertEquals(-1, r.segmentNumber());
      }
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> LogReader.open(env, cut, false));
      assertEquals(0, e.offset());
    }
    Path zeros = dir.resolve("zeros.log");
    Files.write(zeros, new byte[100]);
    try (LogReader r = LogReader.open(env, zeros, true)) {
      assertEquals(0, r.tornTailOffset());
    }
  }

  @Test
  void tornTailInASegmentThatIsNotTheLastIsCorruption(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 3);
    payloads.add(WalFixtures.randomPayload(rnd, 30));
    Path full = dir.resolve("old.log");
    List<Long> starts = WalFixtures.writeSegment(env, full, 1, payloads);
    long last = starts.get(3);
    Path cut = dir.resolve("old-cut.log");
    List<Runnable> damages = new ArrayList<>();
    for (long at = last + 1; at < Files.size(full); at++) {
      long size = at;
      damages.add(() -> unchecked(() -> FileCorruptor.truncate(cut, size)));
    }
    damages.add(() -> unchecked(() -> Files.write(cut, new byte[64], StandardOpenOption.APPEND)));
    damages.add(() -> unchecked(() -> FileCorruptor.flipBit(cut, last + 20, 3)));
    for (Runnable damage : damages) {
      WalFixtures.copy(full, cut);
      damage.run();
      boolean zeroTail = Files.size(cut) > Files.size(full);
      try (LogReader r = LogReader.open(env, cut, false)) {
        for (int i = 0; i < (zeroTail ? 4 : 3); i++) {
          r.next();
        }
        long expected = zeroTail ? Files.size(full) : last;
        CorruptionException e = assertThrows(CorruptionException.class, r::next);
        assertEquals(expected, e.offset(), e.getMessage());
        assertEquals(cut, e.file());
      }
    }
  }

  private interface IoAction {
    void run() throws Exception;
  }

  private static void unchecked(IoAction a) {
    try {
      a.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
