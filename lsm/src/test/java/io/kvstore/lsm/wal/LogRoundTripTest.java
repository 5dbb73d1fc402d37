package io.kvstore.lsm.wal;

import static io.kvstore.lsm.wal.WalFixtures.assertPayloads;
import static io.kvstore.lsm.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.lsm.testing.SeededRandom;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandom.class)
class LogRoundTripTest {
  private final DefaultEnv env = DefaultEnv.INSTANCE;
  @TempDir Path dir;

  @Test
  void manyRecordsOfRandomSizesUpTo1MiBReadBackInOrderWithTheirOffsets(Random rnd) {
    Path file = dir.resolve("000007.log");
    List<byte[]> payloads = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    try (LogWriter w = LogWriter.create(env, file, 7)) {
      for (int i = 0; i < 400; i++) {
        byte[] p = WalFixtures.randomPayload(rnd, WalFixtures.skewedSize(rnd));
        payloads.add(p);
        ends.add(w.append(p));
        assertEquals(ends.get(i), w.size());
      }
    }
    try (LogReader r = LogReader.open(env, file, true)) {
      assertEquals(7, r.segmentNumber());
      List<LogRecord> records = readAll(r);
      assertPayloads(payloads, records);
      long expectedStart = LogFormat.SEGMENT_HEADER_SIZE;
      for (int i = 0; i < records.size(); i++) {
        assertEquals(expectedStart, records.get(i).offset(), "offset of record " + i);
        assertEquals(ends.get(i), records.get(i).endOffset(), "end of record " + i);
        expectedStart = ends.get(i);
      }
      assertEquals(-1, r.tornTailOffset());
      assertEquals(null, r.next(), "stays at end");
    }
  }

  @Test
  void segmentWithNoRecordsReadsAsEmpty() {
    Path file = dir.resolve("empty.log");
    LogWriter.create(env, file, 3).close();
    try (LogReader r = LogReader.open(env, file, false)) {
      assertEquals(3, r.segmentNumber());
      assertEquals(null, r.next());
      assertEquals(-1, r.tornTailOffset());
    }
  }

  @Test
  void bytesOnDiskFollowFormatMd() throws Exception {
    Path file = dir.resolve("golden.log");
    byte[] payload = "hello".getBytes(StandardCharsets.US_ASCII);
    WalFixtures.writeSegment(env, file, 0x0102030405060708L, List.of(payload));
    byte[] b = Files.readAllBytes(file);
    assertEquals(20 + 12 + 5, b.length);
    assertArrayEquals("KVWL".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(b, 4));
    assertEquals(1, Bytes.getInt(b, 4), "version");
    assertEquals(0x0102030405060708L, Bytes.getLong(b, 8), "segment number, big-endian");
    assertEquals(Crc32c.masked(b, 0, 16), Bytes.getInt(b, 16), "header CRC over [0,16)");
    assertEquals(5, Bytes.getInt(b, 24), "length");
    assertEquals(Crc32c.masked(b, 24, 4), Bytes.getInt(b, 28), "length check over length");
    assertEquals(Crc32c.masked(b, 24, 13), Bytes.getInt(b, 20), "record CRC over [4, 12+len)");
    assertArrayEquals(payload, Arrays.copyOfRange(b, 32, 37));
  }

  @Test
  void payloadOverTheMaximumIsRejectedAndTheWriterStaysUsable() {
    Path file = dir.resolve("big.log");
    try (LogWriter w = LogWriter.create(env, file, 1)) {
      byte[] tooBig = new byte[LogFormat.MAX_PAYLOAD_SIZE + 1];
      assertThrows(IllegalArgumentException.class, () -> w.append(tooBig));
      w.append(new byte[] {1});
    }
    try (LogReader r = LogReader.open(env, file, true)) {
      assertPayloads(List.of(new byte[] {1}), readAll(r));
    }
  }
}
