package io.kvstore.lsm.sstable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.InternalIterator;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Block cache hits and misses, and the ReadStats counters that benchmarks report. */
class BlockCacheTest {
  @TempDir Path dir;
  private Path path;
  private TableModel model;

  @BeforeEach
  void write() {
    model = new TableModel();
    for (int i = 0; i < 2000; i++) {
      model.put(key(i), 1, new byte[50]);
    }
    path = dir.resolve("c.sst");
    model.write(path, TableOptions.defaults());
  }

  private static byte[] key(int i) {
    return String.format("key%06d", i).getBytes(UTF_8);
  }

  @Test
  void secondLookupInTheSameBlockIsACacheHit() {
    BlockCache cache = new BlockCache(1 << 20);
    ReadStats stats = new ReadStats();
    try (TableReader r = TableReader.open(DefaultEnv.INSTANCE, path, 1, cache, stats)) {
      assertTrue(r.get(key(10), 5).isFound());
      assertEquals(1, stats.dataBlockReads());
      assertEquals(1, stats.blockCacheMisses());
      assertTrue(r.get(key(11), 5).isFound()); // same 4 KiB block
      assertEquals(2, stats.dataBlockReads());
      assertEquals(1, stats.blockCacheMisses());
      assertEquals(1, cache.entryCount());
      assertTrue(cache.weightedSize() > 3000 && cache.weightedSize() <= 4096 + 5,
          "weight " + cache.weightedSize());
      assertEquals(2, stats.bloomChecks());
      assertEquals(0, stats.bloomNegatives());
    }
  }

  @Test
  void bloomNegativesSkipBlockReads() {
    ReadStats stats = new ReadStats();
    try (TableReader r =
        TableReader.open(DefaultEnv.INSTANCE, path, 1, new BlockCache(1 << 20), stats)) {
      int absent = 1000;
      for (int i = 0; i < absent; i++) {
        byte[] between = String.format("key%06dx", i).getBytes(UTF_8); // inside the key range
        assertEquals(LookupResult.Kind.ABSENT, r.get(between, 5).kind());
      }
      assertEquals(absent, stats.bloomChecks());
      // every lookup either stopped at the filter or read exactly one block
      assertEquals(absent, stats.bloomNegatives() + stats.dataBlockReads());
      assertTrue(stats.bloomNegatives() > absent * 0.95, stats.toString());
      assertTrue(r.mayContain(key(3)));
      assertEquals(absent, stats.bloomChecks(), "mayContain is not counted");
    }
  }

  @Test
  void disabledCacheReadsEveryBlockFromDisk() {
    ReadStats stats = new ReadStats();
    BlockCache cache = BlockCache.disabled();
    try (TableReader r = TableReader.open(DefaultEnv.INSTANCE, path, 1, cache, stats)) {
      for (int i = 0; i < 10; i++) {
        r.get(key(10), 5);
      }
      assertEquals(10, stats.dataBlockReads());
      assertEquals(10, stats.blockCacheMisses());
      assertEquals(0, cache.entryCount());
    }
  }

  @Test
  void cacheStaysWithinItsByteCapacity() {
    BlockCache cache = new BlockCache(5 * 4096);
    ReadStats stats = new ReadStats();
    try (TableReader r = TableReader.open(DefaultEnv.INSTANCE, path, 1, cache, stats)) {
      try (InternalIterator it = r.iterator()) {
        for (it.seekToFirst(); it.valid(); it.next()) {
          it.key();
        }
      }
      assertTrue(r.dataBlockCount() > 20);
      assertTrue(cache.weightedSize() <= 5 * 4096, "weight " + cache.weightedSize());
      assertEquals(0, stats.dataBlockReads(), "iterators are not counted");
    }
  }

  @Test
  void eachReaderGetsItsOwnCacheId() {
    BlockCache cache = new BlockCache(1 << 20);
    ReadStats stats = new ReadStats();
    try (TableReader a = TableReader.open(DefaultEnv.INSTANCE, path, 1, cache, stats);
        TableReader b = TableReader.open(DefaultEnv.INSTANCE, path, 1, cache, stats)) {
      a.get(key(10), 5);
      b.get(key(10), 5); // same file and offset, different reader: not shared
      assertEquals(2, stats.blockCacheMisses());
      assertEquals(2, cache.entryCount());
    }
    assertNotEquals(cache.newId(), cache.newId());
    stats.reset();
    assertEquals(0, stats.dataBlockReads());
  }
}
