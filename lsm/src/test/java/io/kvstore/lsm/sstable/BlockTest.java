package io.kvstore.lsm.sstable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One block on its own: prefix compression, restart-point seeks, structural checks. */
class BlockTest {
  private static final Path FILE = Path.of("block-test");

  static java.util.stream.LongStream seeds() {
    return Seeds.seeds();
  }

  private static Block build(TableModel m, int restartInterval) {
    BlockBuilder b = new BlockBuilder(restartInterval);
    for (Map.Entry<byte[], byte[]> e : m.entries.entrySet()) {
      b.add(e.getKey(), e.getValue());
    }
    int total = b.finish();
    byte[] raw = Arrays.copyOf(b.buffer(), total);
    return Block.parse(FILE, 100, raw, total - TableFormat.BLOCK_TRAILER_SIZE);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void cursorScansAndSeeksLikeTheModel(long seed) {
    Random rnd = new Random(seed);
    for (int interval : new int[] {1, 2, 16, 1000}) {
      String ctx = "seed=" + seed + " restartInterval=" + interval;
      TableModel m = TableModel.random(rnd, 200, 30);
      Block block = build(m, interval);
      BlockCursor c = new BlockCursor(block);
      c.seekToFirst();
      for (Map.Entry<byte[], byte[]> e : m.entries.entrySet()) {
        assertTrue(c.valid(), ctx);
        assertArrayEquals(e.getKey(), c.copyKey(), ctx);
        assertArrayEquals(e.getValue(), c.copyValue(), ctx);
        c.next();
      }
      assertFalse(c.valid(), ctx);
      for (int i = 0; i < 300; i++) {
        byte[] target = InternalKey.encode(TableModel.randomUserKey(rnd),
            rnd.nextLong(m.maxSeq + 2), (byte) rnd.nextInt(2));
        c.seek(target, 0, target.length - 8, Bytes.getLong(target, target.length - 8));
        byte[] want = m.entries.ceilingKey(target);
        if (want == null) {
          assertFalse(c.valid(), ctx);
        } else {
          assertTrue(c.valid(), ctx);
          assertArrayEquals(want, c.copyKey(), ctx + " target " + TableModel.hex(target));
        }
      }
    }
  }

  @Test
  void emptyBlockIsValidAndHasNoEntries() {
    Block b = build(new TableModel(), 16);
    assertEquals(0, b.numRestarts);
    BlockCursor c = new BlockCursor(b);
    c.seekToFirst();
    assertFalse(c.valid());
    c.seek(new byte[] {1}, 0, 1, 0);
    assertFalse(c.valid());
  }

  @Test
  void badRestartArrayIsCorruptionEvenWithAValidChecksum() {
    TableModel m = new TableModel();
    for (int i = 0; i < 40; i++) {
      m.put(new byte[] {(byte) i}, 1, new byte[3]);
    }
    BlockBuilder b = new BlockBuilder(4);
    m.entries.forEach(b::add);
    int total = b.finish();
    int size = total - TableFormat.BLOCK_TRAILER_SIZE;
    byte[] raw = Arrays.copyOf(b.buffer(), total);
    Bytes.putInt(raw, size - 4, 1 << 20); // absurd restart count
    Bytes.putInt(raw, size + 1, Crc32c.masked(raw, 0, size + 1));
    CorruptionException e =
        assertThrows(CorruptionException.class, () -> Block.parse(FILE, 100, raw, size));
    assertEquals(100, e.offset());
  }

  @Test
  void varintsRoundTripAtBoundaries() {
    long[] values = {0, 1, 127, 128, 16383, 16384, 0xffffffffL, (1L << 56) - 1};
    byte[] buf = new byte[10];
    for (long v : values) {
      int n = Varint.put(buf, 0, v);
      assertEquals(Varint.length(v), n);
      long packed = Varint.decode56(buf, 0, n);
      assertEquals(v, packed >>> 8);
      assertEquals(n, packed & 0xff);
      assertEquals(-1, Varint.decode56(buf, 0, n - 1)); // runs past limit
    }
    Varint.put(buf, 0, 1L << 32);
    assertEquals(-1, Varint.decode32(buf, 0, 10)); // too big for 32 bits
  }
}
