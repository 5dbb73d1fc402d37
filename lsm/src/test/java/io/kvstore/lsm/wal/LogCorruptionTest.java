package io.kvstore.lsm.wal;

import static io.kvstore.lsm.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.lsm.testing.FileCorruptor;
import io.kvstore.lsm.testing.SeededRandom;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** FORMAT.md "Reading and recovery": damage followed by data is reported, never skipped. */
@ExtendWith(SeededRandom.class)
class LogCorruptionTest {
  private final DefaultEnv env = DefaultEnv.INSTANCE;
  @TempDir Path dir;

  @Test
  void bitFlipAnywhereInAMiddleRecordIsCorruptionAtThatRecord(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 5);
    payloads.set(2, WalFixtures.randomPayload(rnd, 1 + rnd.nextInt(20)));
    Path full = dir.resolve("full.log");
    List<Long> starts = WalFixtures.writeSegment(env, full, 1, payloads);
    long start = starts.get(2);
    long end = starts.get(3);
    Path bad = dir.resolve("bad.log");
    for (long at = start; at < end; at++) {
      for (int bit = 0; bit < 8; bit++) {
        WalFixtures.copy(full, bad);
        FileCorruptor.flipBit(bad, at, bit);
        for (boolean last : new boolean[] {true, false}) {
          try (LogReader r = LogReader.open(env, bad, last)) {
            assertArrayEquals(payloads.get(0), r.next().payload());
            assertArrayEquals(payloads.get(1), r.next().payload());
            CorruptionException e = assertThrows(CorruptionException.class, r::next);
            assertEquals(start, e.offset(), "flip at " + at + " bit " + bit + ": " + e);
            assertEquals(bad, e.file());
            assertTrue(e.getMessage().contains(bad.toString()));
            assertSame(e, assertThrows(CorruptionException.class, r::next), "sticky");
          }
        }
      }
    }
  }

  @Test
  void bitFlipAnywhereInTheSegmentHeaderIsCorruptionAtOffsetZero(Random rnd) throws Exception {
    Path full = dir.resolve("full.log");
    WalFixtures.writeSegment(env, full, 42, WalFixtures.smallPayloads(rnd, rnd.nextInt(3)));
    Path bad = dir.resolve("bad.log");
    for (int at = 0; at < LogFormat.SEGMENT_HEADER_SIZE; at++) {
      for (int bit = 0; bit < 8; bit++) {
        WalFixtures.copy(full, bad);
        FileCorruptor.flipBit(bad, at, bit);
        for (boolean last : new boolean[] {true, false}) {
          CorruptionException e =
              assertThrows(CorruptionException.class, () -> LogReader.open(env, bad, last));
          assertEquals(0, e.offset(), "flip at " + at + " bit " + bit);
          assertEquals(bad, e.file());
        }
      }
    }
  }

  @Test
  void damagedLengthOfTheFinalRecordIsCorruptionNotATornTail(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 3);
    payloads.add(WalFixtures.randomPayload(rnd, 50));
    Path file = dir.resolve("len.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    // Raise the length so the record seems to run past EOF: without the length check this
    // would pass for a torn write.
    FileCorruptor.flipBit(file, starts.get(3) + 5, 4);
    try (LogReader r = LogReader.open(env, file, true)) {
      for (int i = 0; i < 3; i++) {
        r.next();
      }
      assertEquals(starts.get(3), assertThrows(CorruptionException.class, r::next).offset());
    }
  }

  @Test
  void consistentLengthOverTheMaximumIsCorruption(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 2);
    Path file = dir.resolve("huge.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    byte[] fields = new byte[8];
    Bytes.putInt(fields, 0, LogFormat.MAX_PAYLOAD_SIZE + 1);
    Bytes.putInt(fields, 4, Crc32c.masked(fields, 0, 4));
    FileCorruptor.overwrite(file, starts.get(1) + 4, fields);
    try (LogReader r = LogReader.open(env, file, true)) {
      r.next();
      CorruptionException e = assertThrows(CorruptionException.class, r::next);
      assertEquals(starts.get(1), e.offset());
      assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
  }

  @Test
  void unknownVersionWithAValidChecksumIsCorruptionAtZero() throws Exception {
    Path file = dir.resolve("v2.log");
    WalFixtures.writeSegment(env, file, 1, List.of(new byte[] {7}));
    byte[] header = Files.readAllBytes(file);
    Bytes.putInt(header, 4, 2);
    Bytes.putInt(header, 16, Crc32c.masked(header, 0, 16));
    FileCorruptor.overwrite(file, 0, java.util.Arrays.copyOf(header, 20));
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> LogReader.open(env, file, true));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
  }

  @Test
  void recordsBeforeTheDamageAreStillReturned(Random rnd) throws Exception {
    List<byte[]> payloads = WalFixtures.smallPayloads(rnd, 10);
    Path file = dir.resolve("prefix.log");
    List<Long> starts = WalFixtures.writeSegment(env, file, 1, payloads);
    FileCorruptor.flipBit(file, starts.get(6) + 2, 0);
    try (LogReader r = LogReader.open(env, file, true)) {
      assertThrows(CorruptionException.class, () -> readAll(r));
    }
    try (LogReader r = LogReader.open(env, file, true)) {
      for (int i = 0; i < 6; i++) {
        assertArrayEquals(payloads.get(i), r.next().payload());
      }
    }
  }
}
