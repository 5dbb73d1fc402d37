package io.kvstore.lsm.sstable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.FaultInjectingEnv;
import io.kvstore.lsm.internal.InternalKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TableBuilder's contract: ordering checks, lifecycle, size estimates, I/O failure handling. */
class TableBuilderTest {
  @TempDir Path dir;

  private static byte[] ik(String user, long seq, byte type) {
    return InternalKey.encode(user.getBytes(UTF_8), seq, type);
  }

  @Test
  void rejectsKeysNotStrictlyIncreasing() {
    TableBuilder b = new TableBuilder(DefaultEnv.INSTANCE, dir.resolve("o.sst"),
        TableOptions.defaults());
    b.add(ik("b", 5, InternalKey.TYPE_PUT), new byte[1]);
    // equal key
    assertThrows(IllegalArgumentException.class,
        () -> b.add(ik("b", 5, InternalKey.TYPE_PUT), new byte[1]));
    // smaller user key
    assertThrows(IllegalArgumentException.class,
        () -> b.add(ik("a", 9, InternalKey.TYPE_PUT), new byte[1]));
    // same user key, newer seq (must come first)
    assertThrows(IllegalArgumentException.class,
        () -> b.add(ik("b", 6, InternalKey.TYPE_DELETE), new byte[0]));
    // same seq, PUT after DELETE would be out of order; DELETE after PUT is fine
    b.add(ik("b", 5, InternalKey.TYPE_DELETE), new byte[0]);
    assertThrows(IllegalArgumentException.class, () -> b.add(new byte[7], new byte[0]));
    b.add(ik("b", 4, InternalKey.TYPE_PUT), new byte[1]);
    b.add(ik("c", 100, InternalKey.TYPE_PUT), new byte[1]);
    assertEquals(4, b.entryCount());
    TableMeta meta = b.finish();
    assertEquals(4, meta.entryCount());
    assertThrows(IllegalStateException.class, () -> b.add(ik("d", 1, (byte) 1), new byte[0]));
    assertThrows(IllegalStateException.class, b::finish);
  }

  @Test
  void abandonDeletesTheFile() {
    Path p = dir.resolve("gone.sst");
    TableBuilder b = new TableBuilder(DefaultEnv.INSTANCE, p, TableOptions.defaults());
    b.add(ik("a", 1, InternalKey.TYPE_PUT), new byte[100]);
    assertTrue(Files.exists(p));
    b.abandon();
    assertFalse(Files.exists(p));
    assertThrows(IllegalStateException.class, () -> b.add(ik("b", 1, (byte) 1), new byte[0]));
  }

  @Test
  void estimatedSizeTracksTheFinalSize() {
    long seed = System.nanoTime();
    Random rnd = new Random(seed);
    TableBuilder b = new TableBuilder(DefaultEnv.INSTANCE, dir.resolve("e.sst"),
        TableOptions.defaults());
    long prev = b.estimatedSize();
    for (int i = 0; i < 5000; i++) {
      b.add(ik(String.format("key%08d", i), 1, InternalKey.TYPE_PUT),
          TableModel.randomBytes(rnd, rnd.nextInt(200)));
      long est = b.estimatedSize();
      assertTrue(est >= prev, "seed=" + seed + " estimate shrank at " + i);
      prev = est;
    }
    long fin = b.finish().fileSize();
    assertTrue(Math.abs(fin - prev) < fin / 50,
        "seed=" + seed + " estimate " + prev + " vs " + fin);
  }

  @Test
  void writeFailureIsTypedAndBuilderCanBeAbandoned() {
    Path p = dir.resolve("fail.sst");
    FaultInjectingEnv failing = new FaultInjectingEnv();
    failing.failWritesAfter(1);
    TableBuilder b = new TableBuilder(failing, p, new TableOptions(64, 10, 16));
    b.add(ik("a", 1, InternalKey.TYPE_PUT), new byte[40]);
    StorageIOException e = assertThrows(StorageIOException.class,
        () -> b.add(ik("b", 1, InternalKey.TYPE_PUT), new byte[40])); // flushes block 1: fails
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertThrows(IllegalStateException.class, b::finish);
    b.abandon();
    assertFalse(Files.exists(p));
  }
}
