package io.kvstore.lsm.sstable;

import static io.kvstore.lsm.sstable.TableModel.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Random tables compared with a TreeMap model: gets at many sequence numbers, scans, seeks. */
class TableRoundTripTest {
  @TempDir Path dir;

  static java.util.stream.LongStream seeds() {
    return Seeds.seeds();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomTablesMatchModel(long seed) throws Exception {
    Random rnd = new Random(seed);
    TableOptions[] variants = {
      TableOptions.defaults(),
      new TableOptions(256, 10, 1),
      new TableOptions(128, 4, 3),
      new TableOptions(1024, 0, 16),
    };
    for (int v = 0; v < variants.length; v++) {
      String ctx = "seed=" + seed + " variant=" + variants[v];
      TableModel model = TableModel.random(rnd, 300 + rnd.nextInt(700), 200);
      Path path = dir.resolve("t" + v + ".sst");
      TableMeta meta = model.write(path, variants[v]);
      assertEquals(Files.size(path), meta.fileSize(), ctx);
      assertEquals(model.entries.size(), meta.entryCount(), ctx);
      assertArrayEquals(model.entries.firstKey(), meta.smallestKey(), ctx);
      assertArrayEquals(model.entries.lastKey(), meta.largestKey(), ctx);
      try (TableReader r = TableReader.open(DefaultEnv.INSTANCE, path, 7, new BlockCache(1 << 16),
          new ReadStats())) {
        assertEquals(7, r.fileNumber(), ctx);
        assertEquals(meta.fileSize(), r.fileSize(), ctx);
        assertEquals(meta.entryCount(), r.entryCount(), ctx);
        checkScan(r, model, ctx);
        checkGets(r, model, rnd, ctx);
        checkSeeks(r, model, rnd, ctx);
      }
    }
  }

  static void checkScan(TableReader r, TableModel model, String ctx) {
    try (InternalIterator it = r.iterator()) {
      assertFalse(it.valid(), ctx);
      it.seekToFirst();
      int i = 0;
      for (Map.Entry<byte[], byte[]> e : model.entries.entrySet()) {
        assertTrue(it.valid(), ctx + " entry " + i);
        assertArrayEquals(e.getKey(), it.key(), ctx + " key " + i);
        assertArrayEquals(e.getValue(), it.value(), ctx + " value " + i);
        it.next();
        i++;
      }
      assertFalse(it.valid(), ctx + " iterator runs past the model");
    }
  }

  static void checkGets(TableReader r, TableModel model, Random rnd, String ctx) {
    for (byte[] uk : model.userKeys.keySet()) {
      long[] seqs = {0, 1, rnd.nextLong(model.maxSeq + 2), model.maxSeq, Long.MAX_VALUE};
      for (long seq : seqs) {
        assertSame(model.get(uk, seq), r.get(uk, seq), ctx + " key=" + hex(uk) + " seq=" + seq);
      }
    }
    for (Map.Entry<byte[], byte[]> e : model.entries.entrySet()) {
      byte[] uk = InternalKey.userKey(e.getKey());
      long seq = InternalKey.seq(e.getKey());
      for (long s : new long[] {seq - 1, seq, seq + 1}) {
        assertSame(model.get(uk, s), r.get(uk, s), ctx + " key=" + hex(uk) + " seq=" + s);
      }
    }
    for (int i = 0; i < 500; i++) {
      byte[] uk = TableModel.randomUserKey(rnd);
      assertSame(model.get(uk, Long.MAX_VALUE), r.get(uk, Long.MAX_VALUE),
          ctx + " random key=" + hex(uk));
    }
  }

  static void checkSeeks(TableReader r, TableModel model, Random rnd, String ctx) {
    try (InternalIterator it = r.iterator()) {
      for (int i = 0; i < 500; i++) {
        byte[] target = i % 3 == 0
            ? model.entries.keySet().stream().skip(rnd.nextInt(model.entries.size())).findFirst()
                .orElseThrow()
            : InternalKey.encode(TableModel.randomUserKey(rnd), rnd.nextLong(model.maxSeq + 2),
                (byte) rnd.nextInt(2));
        it.seek(target);
        byte[] want = model.entries.ceilingKey(target);
        String m = ctx + " seek " + hex(target);
        if (want == null) {
          assertFalse(it.valid(), m);
          continue;
        }
        assertTrue(it.valid(), m);
        assertArrayEquals(want, it.key(), m);
        assertArrayEquals(model.entries.get(want), it.value(), m);
        // a few steps forward stay in step with the model
        byte[] k = want;
        for (int step = 0; step < 3; step++) {
          it.next();
          k = model.entries.higherKey(k);
          if (k == null) {
            assertFalse(it.valid(), m + " step " + step);
            break;
          }
          assertArrayEquals(k, it.key(), m + " step " + step);
        }
      }
    }
  }

  static void assertSame(LookupResult want, LookupResult got, String msg) {
    assertEquals(want.kind(), got.kind(), msg);
    if (want.isFound()) {
      assertArrayEquals(want.value(), got.value(), msg);
    } else {
      assertNull(got.value(), msg);
    }
  }
}
