package io.kvstore.lsm.sstable;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.lsm.internal.InternalKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    Env failing = new FailingWritesEnv(DefaultEnv.INSTANCE, 2);
    TableBuilder b = new TableBuilder(failing, p, new TableOptions(64, 10, 16));
    b.add(ik("a", 1, InternalKey.TYPE_PUT), new byte[40]);
    StorageIOException e = assertThrows(StorageIOException.class,
        () -> b.add(ik("b", 1, InternalKey.TYPE_PUT), new byte[40])); // flushes block 1: fails
    assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
    assertThrows(IllegalStateException.class, b::finish);
    b.abandon();
    assertFalse(Files.exists(p));
  }

  /** Env whose writable files fail from the n-th append on. */
  private record FailingWritesEnv(Env delegate, int failFrom) implements Env {
    @Override
    public WritableFile newWritableFile(Path path) throws IOException {
      WritableFile f = delegate.newWritableFile(path);
      return new WritableFile() {
        int appends;

        @Override
        public void append(byte[] data, int offset, int length) throws IOException {
          if (++appends >= failFrom) {
            throw new IOException("injected write failure");
          }
          f.append(data, offset, length);
        }

        @Override
        public void sync() throws IOException {
          f.sync();
        }

        @Override
        public long size() {
          return f.size();
        }

        @Override
        public void close() throws IOException {
          f.close();
        }
      };
    }

    @Override
    public ReadableFile newReadableFile(Path path) throws IOException {
      return delegate.newReadableFile(path);
    }

    @Override
    public boolean exists(Path path) {
      return delegate.exists(path);
    }

    @Override
    public List<String> list(Path d) throws IOException {
      return delegate.list(d);
    }

    @Override
    public void createDirectories(Path d) throws IOException {
      delegate.createDirectories(d);
    }

    @Override
    public void delete(Path path) throws IOException {
      delegate.delete(path);
    }

    @Override
    public void renameAtomic(Path source, Path target) throws IOException {
      delegate.renameAtomic(source, target);
    }

    @Override
    public void truncate(Path path, long size) throws IOException {
      delegate.truncate(path, size);
    }

    @Override
    public void syncDirectory(Path d) throws IOException {
      delegate.syncDirectory(d);
    }

    @Override
    public long size(Path path) throws IOException {
      return delegate.size(path);
    }
  }
}
