package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When flushes fall behind, writers stall instead of growing memory without bound: with table
 * writes held up, a writer fills the memtable and the allowed immutable memtables and then
 * waits; once flushing resumes it finishes and nothing is lost. The stall is counted, with the time
 * it lasted.
 */
class WriteStallTest {
  @TempDir Path dir;

  @Test
  void writersStallWhileFlushesAreBlockedAndResumeAfterwards() throws Exception {
    TableGateEnv env = new TableGateEnv();
    env.shut();
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
      env.open();
      writer.join(60_000);
      assertTrue(!writer.isAlive() && written.get() == 5000, "writer did not resume");
      // The writer made no progress for at least one 100 ms poll before the gate opened.
      assertTrue(store.stats().writeStallNanos() >= TimeUnit.MILLISECONDS.toNanos(100),
          "stall time not counted: " + store.stats().writeStallNanos() + " ns");
      for (int i = 0; i < 5000; i += 97) {
        assertArrayEquals(new byte[100], store.get(bytes(String.format("key%06d", i))));
      }
    }
  }
}
