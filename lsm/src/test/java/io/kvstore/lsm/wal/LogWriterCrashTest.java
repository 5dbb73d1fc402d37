package io.kvstore.lsm.wal;

import static io.kvstore.lsm.wal.WalFixtures.assertPayloads;
import static io.kvstore.lsm.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.FaultInjectingEnv;
import io.kvstore.lsm.testing.SeededRandom;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** DESIGN.md 8: opening a store never loses a record that was fsynced. */
@ExtendWith(SeededRandom.class)
class LogWriterCrashTest {
  @TempDir Path dir;

  @Test
  void everyRecordAppendedBeforeTheLastSyncSurvivesACrash(Random rnd) throws Exception {
    for (int round = 0; round < 30; round++) {
      FaultInjectingEnv env = new FaultInjectingEnv();
      Path file = dir.resolve(round + ".log");
      LogWriter w = LogWriter.create(env, file, round);
      List<byte[]> appended = new ArrayList<>();
      int syncedCount = 0;
      int n = 1 + rnd.nextInt(60);
      for (int i = 0; i < n; i++) {
        appended.add(WalFixtures.randomPayload(rnd, WalFixtures.skewedSize(rnd) / 8));
        w.append(appended.get(i));
        if (rnd.nextInt(5) == 0) {
          w.sync();
          syncedCount = i + 1;
        }
      }
      env.simulateCrash();
      assertThrows(StorageIOException.class, () -> w.append(new byte[1]), "handle is dead");
      if (syncedCount == 0) {
        assertFalse(env.exists(file), "never synced, directory never synced: file vanishes");
        continue;
      }
      try (LogReader r = LogReader.open(env, file, true)) {
        assertEquals(round, r.segmentNumber());
        // The model drops exactly the unsynced bytes, which end on a record boundary.
        assertPayloads(appended.subList(0, syncedCount), readAll(r));
        assertEquals(-1, r.tornTailOffset());
      }
    }
  }

  @Test
  void crashDuringConcurrentAppendAndSyncKeepsEverythingSynced(Random rnd) throws Exception {
    FaultInjectingEnv env = new FaultInjectingEnv();
    Path file = dir.resolve("concurrent.log");
    LogWriter w = LogWriter.create(env, file, 1);
    List<byte[]> appended = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    w.sync();
    CountDownLatch started = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> appender =
          pool.submit(
              () -> {
                Random local = new Random(rnd.nextLong());
                try {
                  for (int i = 0; ; i++) {
                    byte[] p = WalFixtures.randomPayload(local, local.nextInt(2000));
                    long end = w.append(p);
                    synchronized (appended) {
                      appended.add(p);
                      ends.add(end);
                    }
                    if (i == 50) {
                      started.countDown();
                    }
                  }
                } catch (StorageIOException expectedAfterCrash) {
                  return;
                }
              });
      Future<?> syncer =
          pool.submit(
              () -> {
                try {
                  while (true) {
                    w.sync();
                  }
                } catch (StorageIOException expectedAfterCrash) {
                  return;
                }
              });
      assertTrue(started.await(30, TimeUnit.SECONDS));
      Thread.sleep(rnd.nextInt(20));
      long syncedBeforeCrash = w.syncedSize();
      env.simulateCrash();
      appender.get(30, TimeUnit.SECONDS);
      syncer.get(30, TimeUnit.SECONDS);
      try (LogReader r = LogReader.open(env, file, true)) {
        List<LogRecord> read = readAll(r);
        synchronized (appended) {
          for (int i = 0; i < read.size(); i++) {
            assertArrayEquals(appended.get(i), read.get(i).payload(), "record " + i);
          }
          long durableRecords = ends.stream().filter(e -> e <= syncedBeforeCrash).count();
          assertTrue(read.size() >= durableRecords, read.size() + " < " + durableRecords);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
