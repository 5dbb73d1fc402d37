package io.kvstore.lsm.sstable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.internal.InternalIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several threads share one reader and a small block cache (so blocks are evicted and re-read
 * while others use them); every answer must match the model.
 */
class ConcurrentReadTest {
  @TempDir Path dir;

  @Test
  void concurrentGetsAndScansAgreeWithModel() throws Exception {
    long seed = System.nanoTime();
    TableModel model = TableModel.random(new Random(seed), 2000, 100);
    Path path = dir.resolve("conc.sst");
    model.write(path, new TableOptions(1024, 10, 8));
    List<byte[]> userKeys = new ArrayList<>(model.userKeys.keySet());
    ReadStats stats = new ReadStats();
    int threads = 4;
    int getsPerThread = 5000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TableReader r =
        TableReader.open(DefaultEnv.INSTANCE, path, 1, new BlockCache(8 * 1024), stats)) {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long threadSeed = seed + t;
        futures.add(pool.submit(() -> {
          Random rnd = new Random(threadSeed);
          for (int i = 0; i < getsPerThread; i++) {
            byte[] uk = rnd.nextInt(4) == 0 ? TableModel.randomUserKey(rnd)
                : userKeys.get(rnd.nextInt(userKeys.size()));
            long seq = rnd.nextLong(model.maxSeq + 2);
            TableRoundTripTest.assertSame(model.get(uk, seq), r.get(uk, seq),
                "seed=" + seed + " thread seed=" + threadSeed);
            if (i % 1000 == 0) {
              scanCount(r, model, "seed=" + seed);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals((long) threads * getsPerThread, stats.bloomChecks(), "seed=" + seed);
  }

  private static void scanCount(TableReader r, TableModel model, String ctx) {
    long n = 0;
    try (InternalIterator it = r.iterator()) {
      for (it.seekToFirst(); it.valid(); it.next()) {
        n++;
      }
    }
    assertEquals(model.entries.size(), n, ctx);
  }
}
