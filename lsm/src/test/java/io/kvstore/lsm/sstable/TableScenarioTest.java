package io.kvstore.lsm.sstable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hand-written scenarios: versions and tombstones, large and empty values, empty tables. */
class TableScenarioTest {
  @TempDir Path dir;

  private TableReader open(Path p) {
    return TableReader.open(DefaultEnv.INSTANCE, p, 1, new BlockCache(1 << 20), new ReadStats());
  }

  @Test
  void getSeesNewestVersionAtOrBelowSnapshotIncludingTombstones() {
    TableModel m = new TableModel();
    byte[] k = "apple".getBytes(UTF_8);
    m.put(k, 10, "v10".getBytes(UTF_8));
    m.delete(k, 20);
    m.put(k, 30, "v30".getBytes(UTF_8));
    m.put("apricot".getBytes(UTF_8), 5, "x".getBytes(UTF_8));
    Path p = dir.resolve("v.sst");
    m.write(p, new TableOptions(64, 10, 1));
    try (TableReader r = open(p)) {
      assertEquals(LookupResult.Kind.ABSENT, r.get(k, 9).kind());
      assertArrayEquals("v10".getBytes(UTF_8), r.get(k, 10).value());
      assertArrayEquals("v10".getBytes(UTF_8), r.get(k, 19).value());
      assertEquals(LookupResult.Kind.DELETED, r.get(k, 20).kind());
      assertEquals(LookupResult.Kind.DELETED, r.get(k, 29).kind());
      assertArrayEquals("v30".getBytes(UTF_8), r.get(k, 30).value());
      assertArrayEquals("v30".getBytes(UTF_8), r.get(k, Long.MAX_VALUE).value());
      assertEquals(LookupResult.Kind.ABSENT, r.get("appl".getBytes(UTF_8), 100).kind());
      assertEquals(LookupResult.Kind.ABSENT, r.get("apple\0".getBytes(UTF_8), 100).kind());
      assertThrows(IllegalArgumentException.class, () -> r.get(k, -1));
    }
  }

  @Test
  void putAndDeleteAtTheSameSeqOrderPutFirst() {
    // Same seq, trailer desc: PUT (type 1) sorts before DELETE (type 0); get sees the PUT.
    TableModel m = new TableModel();
    byte[] k = "k".getBytes(UTF_8);
    m.put(k, 7, "p".getBytes(UTF_8));
    m.delete(k, 7);
    Path p = dir.resolve("same.sst");
    m.write(p, TableOptions.defaults());
    try (TableReader r = open(p)) {
      assertArrayEquals("p".getBytes(UTF_8), r.get(k, 7).value());
      TableRoundTripTest.checkScan(r, m, "same-seq");
    }
  }

  @Test
  void largeValuesGetTheirOwnBlocks() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    TableModel m = new TableModel();
    for (int i = 0; i < 12; i++) {
      byte[] uk = String.format("key%03d", i).getBytes(UTF_8);
      int len = i % 3 == 0 ? (1 << 20) + rnd.nextInt(3 << 20) : rnd.nextInt(100);
      m.put(uk, i + 1, TableModel.randomBytes(rnd, len));
    }
    Path p = dir.resolve("large.sst");
    TableMeta meta = m.write(p, TableOptions.defaults());
    assertTrue(meta.fileSize() > 4 << 20, "seed=" + seed);
    try (TableReader r = open(p)) {
      // 4 big entries alone, small ones around them: key000 | 001 002 | 003 | 004 005 | ...
      assertEquals(8, r.dataBlockCount(), "seed=" + seed);
      TableRoundTripTest.checkScan(r, m, "seed=" + seed);
      for (byte[] uk : m.userKeys.keySet()) {
        TableRoundTripTest.assertSame(m.get(uk, 100), r.get(uk, 100), "seed=" + seed);
      }
    }
  }

  @Test
  void emptyValuesAndEmptyUserKeyRoundTrip() {
    TableModel m = new TableModel();
    m.put(new byte[0], 3, new byte[0]);
    m.put(new byte[0], 1, "old".getBytes(UTF_8));
    for (int i = 0; i < 200; i++) {
      m.put(("e" + i).getBytes(UTF_8), 10 + i, new byte[0]);
    }
    Path p = dir.resolve("empty-values.sst");
    m.write(p, new TableOptions(128, 10, 4));
    try (TableReader r = open(p)) {
      LookupResult got = r.get(new byte[0], 5);
      assertTrue(got.isFound());
      assertEquals(0, got.value().length);
      assertArrayEquals("old".getBytes(UTF_8), r.get(new byte[0], 2).value());
      assertEquals(0, r.get("e42".getBytes(UTF_8), 1000).value().length);
      TableRoundTripTest.checkScan(r, m, "empty values");
    }
  }

  @Test
  void emptyTableHasNoEntries() {
    Path p = dir.resolve("empty.sst");
    TableMeta meta = new TableBuilder(DefaultEnv.INSTANCE, p, TableOptions.defaults()).finish();
    assertEquals(0, meta.entryCount());
    assertNull(meta.smallestKey());
    assertNull(meta.largestKey());
    assertEquals(TableFormat.MIN_FILE_SIZE + 9, meta.fileSize()); // 64-bit filter + k byte
    try (TableReader r = open(p)) {
      assertEquals(0, r.dataBlockCount());
      assertEquals(LookupResult.Kind.ABSENT, r.get("x".getBytes(UTF_8), 1).kind());
      assertFalse(r.mayContain("x".getBytes(UTF_8)));
      InternalIterator it = r.iterator();
      it.seekToFirst();
      assertFalse(it.valid());
      it.seek(InternalKey.encode(new byte[0], 0, (byte) 1));
      assertFalse(it.valid());
    }
  }

  @Test
  void tableWithoutFilterIsTheSmallestPossible() {
    Path p = dir.resolve("nofilter.sst");
    TableMeta meta = new TableBuilder(DefaultEnv.INSTANCE, p, new TableOptions(4096, 0, 16))
        .finish();
    assertEquals(TableFormat.MIN_FILE_SIZE, meta.fileSize());
    try (TableReader r = open(p)) {
      assertTrue(r.mayContain("anything".getBytes(UTF_8)));
    }
  }

  @Test
  void missingFileIsAStorageIoErrorNamingTheFile() {
    Path p = dir.resolve("missing.sst");
    StorageIOException e = assertThrows(StorageIOException.class, () -> open(p));
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
  }

  @Test
  void closedReaderRejectsLookups() {
    TableModel m = new TableModel();
    m.put("a".getBytes(UTF_8), 1, "1".getBytes(UTF_8));
    Path p = dir.resolve("closed.sst");
    m.write(p, TableOptions.defaults());
    TableReader r = open(p);
    r.close();
    r.close(); // idempotent
    assertThrows(StoreClosedException.class, () -> r.get("a".getBytes(UTF_8), 1));
    assertThrows(StoreClosedException.class, r::iterator);
  }
}
