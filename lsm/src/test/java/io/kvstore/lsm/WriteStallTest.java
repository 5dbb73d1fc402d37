package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ForwardingEnv;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When flushes fall behind, writers stall instead of growing memory without bound: with table
 * writes held up, a writer fills the memtable and the allowed immutable memtables and then
 * waits; once flushing resumes it finishes and nothing is lost.
 */
class WriteStallTest {
  @TempDir Path dir;

  @Test
  void writersStallWhileFlushesAreBlockedAndResumeAfterwards() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Env env = new TableSyncBlockingEnv(release);
    long memtable = 64 << 10;
    Options options =
        TestStores.tiny().env(env).memtableBytes(memtable).maxImmutableMemtables(1).build();
    AtomicLong written = new AtomicLong();
    try (LsmStore store = LsmStore.open(dir, options)) {
      Thread writer = new Thread(() -> {
        for (int i = 0; i < 5000; i++) {
          store.put(bytes(String.format("key%06d", i)), new byte[100]);
          written.incrementAndGet();
        }
      });
      writer.start();
      // Let the writer run into the stall: progress must stop well before 5000.
      long last = -1;
      for (int i = 0; i < 50 && written.get() != last; i++) {
        last = written.get();
        Thread.sleep(100);
      }
      long stalledAt = written.get();
      assertTrue(writer.isAlive() && stalledAt < 5000, "writer never stalled: " + stalledAt);
      // 1 active + 1 immutable memtable of ~64 KiB each (~200 B accounted per entry): bounded.
      assertTrue(stalledAt * 200 < 3 * memtable, "memory not bounded: " + stalledAt + " writes");
      assertTrue(store.stats().writeStalls() > 0, "stall not counted");
      release.countDown();
      writer.join(60_000);
      assertTrue(!writer.isAlive() && written.get() == 5000, "writer did not resume");
      for (int i = 0; i < 5000; i += 97) {
        assertArrayEquals(new byte[100], store.get(bytes(String.format("key%06d", i))));
      }
    }
  }

  /** The real file system, except that table fsyncs wait for a latch. */
  private static final class TableSyncBlockingEnv extends ForwardingEnv {
    private final CountDownLatch release;

    TableSyncBlockingEnv(CountDownLatch release) {
      super(DefaultEnv.INSTANCE);
      this.release = release;
    }

    @Override
    public WritableFile newWritableFile(Path path) throws IOException {
      WritableFile f = delegate().newWritableFile(path);
      if (!path.toString().endsWith(".sst")) {
        return f;
      }
      return new ForwardingWritableFile(f) {
        @Override
        public void sync() throws IOException {
          try {
            release.await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
          super.sync();
        }
      };
    }
  }
}
