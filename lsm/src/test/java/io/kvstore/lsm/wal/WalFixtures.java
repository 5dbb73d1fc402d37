package io.kvstore.lsm.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.lsm.env.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Helpers shared by the commit log tests: writing a segment, reading one back, payloads. */
final class WalFixtures {
  private WalFixtures() {}

  /** Writes a closed segment holding {@code payloads}; returns the start offset of each record. */
  static List<Long> writeSegment(Env env, Path path, long segment, List<byte[]> payloads) {
    List<Long> starts = new ArrayList<>();
    try (LogWriter w = LogWriter.create(env, path, segment)) {
      for (byte[] p : payloads) {
        starts.add(w.size());
        w.append(p);
      }
    }
    return starts;
  }

  /** Reads every record up to the end (clean or torn); the reader is left open for inspection. */
  static List<LogRecord> readAll(LogReader reader) {
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r = reader.next(); r != null; r = reader.next()) {
      out.add(r);
    }
    return out;
  }

  static void assertPayloads(List<byte[]> expected, List<LogRecord> actual) {
    assertEquals(expected.size(), actual.size(), "record count");
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i).payload(), "payload of record " + i);
    }
  }

  static byte[] randomPayload(Random rnd, int size) {
    byte[] b = new byte[size];
    rnd.nextBytes(b);
    return b;
  }

  /** Mostly small sizes, some medium, a few up to 1 MiB, and empty ones. */
  static int skewedSize(Random rnd) {
    int kind = rnd.nextInt(100);
    if (kind < 5) {
      return 0;
    } else if (kind < 70) {
      return 1 + rnd.nextInt(200);
    } else if (kind < 95) {
      return rnd.nextInt(70_000);
    }
    return rnd.nextInt((1 << 20) + 1);
  }

  static List<byte[]> smallPayloads(Random rnd, int count) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(randomPayload(rnd, rnd.nextInt(64)));
    }
    return out;
  }

  static void copy(Path from, Path to) throws java.io.IOException {
    Files.copy(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }
}
