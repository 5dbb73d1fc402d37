package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.internal.FileNames;
import io.kvstore.lsm.testing.FileCorruptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files seen through the whole store: a bit flip in a table, a commit-log record or the
 * manifest is reported as a {@link CorruptionException} naming the file and offset (never ignored,
 * never turned into missing data); a torn tail of the last log segment is truncated and the
 * records before it survive.
 */
class StoreCorruptionTest {
  @TempDir Path dir;

  private final Options options = TestStores.tiny().memtableBytes(1 << 20).build();

  @Test
  void bitFlipInTableDataBlockFailsTheReadThatTouchesIt() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      for (int i = 0; i < 200; i++) {
        store.put(bytes(String.format("key%04d", i)), bytes("value-" + i));
      }
      store.flush();
    }
    Path table = onlyFile(FileNames.tableDir(dir));
    FileCorruptor.flipBit(table, 40, 3); // inside the first data block
    try (LsmStore store = LsmStore.open(dir, options)) {
      CorruptionException e = assertThrows(CorruptionException.class, () -> store.get(bytes("key0000")));
      assertEquals(table, e.file());
      assertTrue(e.offset() >= 0 && e.offset() <= 40, "offset " + e.offset());
      CorruptionException scan =
          assertThrows(CorruptionException.class, () -> drain(store.scan(null, null)));
      assertEquals(table, scan.file());
    }
  }

  @Test
  void damagedTableFooterFailsTheOpen() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      store.put(bytes("a"), bytes("1"));
      store.flush();
    }
    Path table = onlyFile(FileNames.tableDir(dir));
    FileCorruptor.flipBit(table, Files.size(table) - 10, 0);
    CorruptionException e = assertThrows(CorruptionException.class, () -> LsmStore.open(dir, options));
    assertEquals(table, e.file());
  }

  @Test
  void bitFlipInAMiddleLogRecordFailsTheOpenNamingFileAndOffset() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      for (int i = 0; i < 10; i++) {
        store.put(bytes("k" + i), bytes("v" + i));
      }
    }
    Path log = onlyFile(FileNames.logDir(dir));
    long size = Files.size(log);
    FileCorruptor.flipBit(log, size / 2, 1);
    CorruptionException e = assertThrows(CorruptionException.class, () -> LsmStore.open(dir, options));
    assertEquals(log, e.file());
    assertTrue(e.offset() > 0 && e.offset() <= size / 2, "offset " + e.offset());
    assertTrue(e.getMessage().contains(log.toString()), e.getMessage());
  }

  @Test
  void tornTailOfTheLastSegmentIsTruncatedAndEarlierRecordsSurvive() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      for (int i = 0; i < 10; i++) {
        store.put(bytes("k" + i), bytes("v" + i));
      }
    }
    Path log = onlyFile(FileNames.logDir(dir));
    FileCorruptor.truncate(log, Files.size(log) - 3); // the last record loses its end
    try (LsmStore store = LsmStore.open(dir, options)) {
      for (int i = 0; i < 9; i++) {
        assertArrayEquals(bytes("v" + i), store.get(bytes("k" + i)));
      }
      assertNull(store.get(bytes("k9")), "the torn record must not be half-applied");
    }
  }

  @Test
  void damagedManifestFailsTheOpen() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      store.put(bytes("a"), bytes("1"));
      store.flush();
    }
    Path manifest = FileNames.manifest(dir);
    FileCorruptor.flipBit(manifest, 20, 5);
    CorruptionException e = assertThrows(CorruptionException.class, () -> LsmStore.open(dir, options));
    assertEquals(manifest, e.file());
  }

  @Test
  void orphanTablesFromACrashedFlushAreDeletedAtOpen() throws IOException {
    try (LsmStore store = LsmStore.open(dir, options)) {
      store.put(bytes("a"), bytes("1"));
      store.flush();
    }
    Path orphan = FileNames.table(dir, 999_999);
    Files.write(orphan, new byte[] {1, 2, 3});
    try (LsmStore store = LsmStore.open(dir, options)) {
      assertArrayEquals(bytes("1"), store.get(bytes("a")));
    }
    assertTrue(Files.notExists(orphan));
  }

  private static void drain(KvIterator it) {
    try (it) {
      while (it.hasNext()) {
        it.next();
      }
    }
  }

  private static Path onlyFile(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      List<Path> files = s.filter(p -> {
        try {
          return Files.size(p) > 0;
        } catch (IOException e) {
          return false;
        }
      }).sorted().toList();
      assertEquals(1, files.size(), "files in " + d + ": " + files);
      return files.getFirst();
    }
  }
}
