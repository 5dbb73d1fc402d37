package io.kvstore.lsm.sstable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decodes a small table by hand, following FORMAT.md rather than the reader's code, so the
 * document and the writer cannot drift apart; and checks the version rules.
 */
class FormatTest {
  @TempDir Path dir;

  private Path writeTiny() {
    Path p = dir.resolve("tiny.sst");
    TableBuilder b = new TableBuilder(DefaultEnv.INSTANCE, p, new TableOptions(4096, 10, 2));
    b.add(InternalKey.encode("abc".getBytes(UTF_8), 9, InternalKey.TYPE_PUT), "v1".getBytes(UTF_8));
    b.add(InternalKey.encode("abd".getBytes(UTF_8), 8, InternalKey.TYPE_DELETE), new byte[0]);
    b.add(InternalKey.encode("abe".getBytes(UTF_8), 7, InternalKey.TYPE_PUT), "v3".getBytes(UTF_8));
    b.finish();
    return p;
  }

  @Test
  void fileMatchesTheDocumentedLayout() throws Exception {
    ByteBuffer f = ByteBuffer.wrap(Files.readAllBytes(writeTiny())); // big-endian by default
    int size = f.capacity();
    // header
    assertEquals(0x6b7673737461626cL, f.getLong(0));
    assertEquals(1, f.getInt(8));
    // footer
    int ft = size - 64;
    long filterOff = f.getLong(ft);
    int filterSize = f.getInt(ft + 8);
    long indexOff = f.getLong(ft + 12);
    int indexSize = f.getInt(ft + 20);
    assertEquals(3, f.getLong(ft + 24));
    for (int i = 32; i < 48; i++) {
      assertEquals(0, f.get(ft + i));
    }
    assertEquals(1, f.getInt(ft + 48));
    assertEquals(Crc32c.masked(f.array(), ft, 52), f.getInt(ft + 52));
    assertEquals(0x6b76737374656e64L, f.getLong(ft + 56));
    assertEquals(indexOff + indexSize + 5, ft);
    assertEquals(filterOff + filterSize + 5, indexOff);
    // index block: one entry, restart interval 1
    int ip = (int) indexOff;
    checkTrailer(f, ip, indexSize);
    assertEquals(1, f.getInt(ip + indexSize - 4)); // one restart
    assertEquals(0, f.getInt(ip + indexSize - 8)); // at 0
    assertEquals(0, f.get(ip)); // shared
    assertEquals(11, f.get(ip + 1)); // unshared: "abe" + 8
    assertEquals(2, f.get(ip + 2)); // value: varint offset 12, varint size
    assertArrayEquals(InternalKey.encode("abe".getBytes(UTF_8), 7, InternalKey.TYPE_PUT),
        slice(f, ip + 3, 11));
    assertEquals(12, f.get(ip + 14)); // data block 0 at offset 12
    int dataSize = f.get(ip + 15);
    assertEquals(filterOff, 12 + dataSize + 5);
    // data block: restarts at entries 0 and 2 (interval 2)
    checkTrailer(f, 12, dataSize);
    assertEquals(2, f.getInt(12 + dataSize - 4));
    assertEquals(0, f.getInt(12 + dataSize - 12));
    int p = 12;
    assertArrayEquals(new byte[] {0, 11, 2}, slice(f, p, 3));
    assertArrayEquals(InternalKey.encode("abc".getBytes(UTF_8), 9, InternalKey.TYPE_PUT),
        slice(f, p + 3, 11));
    assertArrayEquals("v1".getBytes(UTF_8), slice(f, p + 14, 2));
    p += 16;
    assertArrayEquals(new byte[] {2, 9, 0}, slice(f, p, 3)); // shares "ab"
    assertEquals('d', f.get(p + 3));
    p += 3 + 9;
    assertEquals(p - 12, f.getInt(12 + dataSize - 8)); // second restart
    assertArrayEquals(new byte[] {0, 11, 2}, slice(f, p, 3));
    // filter block: bits then k = round(10 ln 2) = 7, matches BloomFilter over the user keys
    checkTrailer(f, (int) filterOff, filterSize);
    assertEquals(7, f.get((int) filterOff + filterSize - 1));
    BloomFilter expected = BloomFilter.of(
        List.of("abc".getBytes(UTF_8), "abd".getBytes(UTF_8), "abe".getBytes(UTF_8)), 10);
    assertArrayEquals(expected.encode(), slice(f, (int) filterOff, filterSize));
  }

  private static void checkTrailer(ByteBuffer f, int off, int size) {
    assertEquals(0, f.get(off + size)); // type: uncompressed
    assertEquals(Crc32c.masked(f.array(), off, size + 1), f.getInt(off + size + 1));
  }

  private static byte[] slice(ByteBuffer f, int off, int len) {
    byte[] out = new byte[len];
    f.get(off, out);
    return out;
  }

  @Test
  void intactFooterWithNewerVersionIsReportedTooNew() throws Exception {
    Path p = writeTiny();
    long footer = rewriteFooterVersion(p, 2);
    CorruptionException e = assertThrows(CorruptionException.class, () -> open(p));
    assertEquals(footer, e.offset());
    assertTrue(e.getMessage().contains("too new"), e.getMessage());
  }

  @Test
  void intactFooterWithOlderVersionIsReportedTooOld() throws Exception {
    Path p = writeTiny();
    rewriteFooterVersion(p, 0);
    CorruptionException e = assertThrows(CorruptionException.class, () -> open(p));
    assertTrue(e.getMessage().contains("too old"), e.getMessage());
  }

  @Test
  void headerVersionIsCheckedAtOffsetZero() throws Exception {
    Path p = writeTiny();
    byte[] b = Files.readAllBytes(p);
    b[11] = 5;
    Files.write(p, b);
    CorruptionException e = assertThrows(CorruptionException.class, () -> open(p));
    assertEquals(0, e.offset());
    assertTrue(e.getMessage().contains("header format version 5 is too new"), e.getMessage());
  }

  /** Sets the footer version and recomputes the footer CRC; returns the footer offset. */
  private static long rewriteFooterVersion(Path p, int version) throws Exception {
    byte[] b = Files.readAllBytes(p);
    int ft = b.length - 64;
    ByteBuffer f = ByteBuffer.wrap(b);
    f.putInt(ft + 48, version);
    f.putInt(ft + 52, Crc32c.masked(b, ft, 52));
    Files.write(p, b);
    return ft;
  }

  private static void open(Path p) {
    TableReader.open(DefaultEnv.INSTANCE, p, 1, null, null).close();
  }
}
