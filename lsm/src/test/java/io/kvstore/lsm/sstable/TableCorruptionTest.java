package io.kvstore.lsm.sstable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.InternalKey;
import io.kvstore.lsm.testing.FileCorruptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every single-bit flip and every truncation is detected and reported as a CorruptionException
 * naming the file and the offset of the damaged structure (FORMAT.md, "What a reader does on
 * corruption").
 */
class TableCorruptionTest {
  @TempDir Path dir;
  private final long seed = System.nanoTime();
  private final Random rnd = new Random(seed);
  private Path pristine;
  private TableModel model;
  private long fileSize;
  private BlockIndex layout;
  private long filterOffset;
  private long indexOffset;

  @BeforeEach
  void writeTable() {
    pristine = dir.resolve("pristine.sst");
    model = TableModel.random(rnd, 300, 100);
    fileSize = model.write(pristine, new TableOptions(512, 10, 4)).fileSize();
    try (TableReader r = openReader(pristine)) {
      assertTrue(r.dataBlockCount() > 5, "seed=" + seed);
      layout = indexOf(r);
    }
    indexOffset = fileSize - 64 - 5 - indexSizeFromFooter();
    filterOffset = layout.offset(layout.size() - 1) + layout.blockSize(layout.size() - 1) + 5;
  }

  @Test
  void flippedBitInHeaderIsReportedAtOffsetZero() throws Exception {
    for (int bit = 0; bit < 12 * 8; bit++) {
      Path p = damaged(bit / 8, bit % 8);
      expectAtOpen(p, 0, "header bit " + bit);
    }
  }

  @Test
  void flippedBitInFooterIsReportedAtFooterOffset() throws Exception {
    for (int bit = 0; bit < 64 * 8; bit++) {
      if (bit / 8 >= 32 && bit / 8 < 48) {
        continue; // reserved bytes: covered by the CRC, checked below
      }
      Path p = damaged(fileSize - 64 + bit / 8, bit % 8);
      expectAtOpen(p, fileSize - 64, "footer bit " + bit);
    }
    expectAtOpen(damaged(fileSize - 64 + 40, 3), fileSize - 64, "reserved byte");
  }

  @Test
  void flippedBitInIndexBlockIsReportedAtIndexOffset() throws Exception {
    int size = (int) (fileSize - 64 - indexOffset);
    for (int i = 0; i < 200; i++) {
      long off = indexOffset + rnd.nextInt(size);
      expectAtOpen(damaged(off, rnd.nextInt(8)), indexOffset, "index byte " + off);
    }
  }

  @Test
  void flippedBitInFilterBlockIsReportedAtFilterOffset() throws Exception {
    int size = (int) (indexOffset - filterOffset);
    for (int i = 0; i < 200; i++) {
      long off = filterOffset + rnd.nextInt(size);
      expectAtOpen(damaged(off, rnd.nextInt(8)), filterOffset, "filter byte " + off);
    }
  }

  @Test
  void flippedBitInDataBlockIsReportedAtThatBlocksOffsetByScanAndGet() throws Exception {
    for (int i = 0; i < 100; i++) {
      int block = rnd.nextInt(layout.size());
      long start = layout.offset(block);
      long off = start + rnd.nextInt(layout.blockSize(block) + 5); // trailer included
      Path p = damaged(off, rnd.nextInt(8));
      String ctx = "seed=" + seed + " data byte " + off + " of block at " + start;
      try (TableReader r = openReader(p)) { // data blocks are checked lazily
        CorruptionException scan = assertThrows(CorruptionException.class, () -> scanAll(r), ctx);
        assertEquals(p, scan.file(), ctx);
        assertEquals(start, scan.offset(), ctx);
        byte[] lastKey = layout.lastKey(block);
        byte[] userKey = InternalKey.userKey(lastKey);
        // at the last key's own seq, the lookup lands in this block even if newer versions of
        // the user key sit in the previous block
        CorruptionException get = assertThrows(CorruptionException.class,
            () -> r.get(userKey, InternalKey.seq(lastKey)), ctx);
        assertEquals(start, get.offset(), ctx);
      }
    }
  }

  @Test
  void truncationIsDetectedAtAnyLength() throws Exception {
    long[] sizes = {0, 5, 11, 12, 50, 89, 90, fileSize / 2, fileSize - 65, fileSize - 64,
        fileSize - 1};
    for (long size : sizes) {
      Path p = dir.resolve("trunc-" + size + ".sst");
      Files.copy(pristine, p, StandardCopyOption.REPLACE_EXISTING);
      FileCorruptor.truncate(p, size);
      CorruptionException e = assertThrows(CorruptionException.class, () -> openReader(p).close(),
          "seed=" + seed + " size " + size);
      assertEquals(p, e.file());
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  @Test
  void blockReadPastEndAfterOpenIsReportedAsTruncation() throws Exception {
    Path p = dir.resolve("shrunk.sst");
    Files.copy(pristine, p);
    try (TableReader r = TableReader.open(DefaultEnv.INSTANCE, p, 1, null, null)) {
      FileCorruptor.truncate(p, layout.offset(2));
      CorruptionException e = assertThrows(CorruptionException.class, () -> scanAll(r));
      assertEquals(layout.offset(2), e.offset());
      assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }
  }

  private void expectAtOpen(Path p, long offset, String what) {
    String ctx = "seed=" + seed + " " + what;
    CorruptionException e = assertThrows(CorruptionException.class, () -> openReader(p).close(),
        ctx);
    assertEquals(p, e.file(), ctx);
    assertEquals(offset, e.offset(), ctx + ": " + e.getMessage());
    assertTrue(e.getMessage().contains(p.toString()), ctx);
  }

  private Path damaged(long offset, int bit) throws Exception {
    Path p = dir.resolve("damaged.sst");
    Files.copy(pristine, p, StandardCopyOption.REPLACE_EXISTING);
    FileCorruptor.flipBit(p, offset, bit);
    return p;
  }

  private static TableReader openReader(Path p) {
    return TableReader.open(DefaultEnv.INSTANCE, p, 1, new BlockCache(1 << 20), new ReadStats());
  }

  private static void scanAll(TableReader r) {
    try (InternalIterator it = r.iterator()) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        it.value();
      }
    }
  }

  private long indexSizeFromFooter() {
    try {
      byte[] b = Files.readAllBytes(pristine);
      return Bytes.getInt(b, b.length - 64 + 20);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static BlockIndex indexOf(TableReader r) {
    return r.index();
  }
}
