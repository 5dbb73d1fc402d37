package io.kvstore.lsm.wal;

import static io.kvstore.lsm.wal.WalFixtures.assertPayloads;
import static io.kvstore.lsm.wal.WalFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.FaultInjectingEnv;
import io.kvstore.lsm.testing.SeededRandom;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** LogWriter's sync contract: concurrent with appends, sticky on failure, harmless after close. */
@ExtendWith(SeededRandom.class)
class LogWriterSyncTest {
  private final FaultInjectingEnv env = new FaultInjectingEnv();
  @TempDir Path dir;

  @Test
  void syncFromAnotherThreadWhileAppendingLosesNothing(Random rnd) throws Exception {
    Path file = dir.resolve("1.log");
    List<byte[]> payloads = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      payloads.add(WalFixtures.randomPayload(rnd, rnd.nextInt(rnd.nextBoolean() ? 100 : 100_000)));
    }
    LogWriter w = LogWriter.create(env, file, 1);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService syncer = Executors.newSingleThreadExecutor();
    try {
      Future<Integer> syncs =
          syncer.submit(
              () -> {
                int n = 0;
                long lastSynced = 0;
                while (!stop.get()) {
                  w.sync();
                  long synced = w.syncedSize();
                  assertTrue(synced >= lastSynced && synced <= w.size(), "synced size monotonic");
                  assertTrue(env.syncedLength(file) >= synced, "env saw the fsync");
                  lastSynced = synced;
                  n++;
                }
                return n;
              });
      for (byte[] p : payloads) {
        w.append(p);
      }
      stop.set(true);
      assertTrue(syncs.get(30, TimeUnit.SECONDS) > 0);
      w.sync();
      assertEquals(w.size(), w.syncedSize());
    } finally {
      syncer.shutdownNow();
    }
    env.simulateCrash(); // everything was synced, so nothing may be lost
    try (LogReader r = LogReader.open(env, file, true)) {
      assertPayloads(payloads, readAll(r));
      assertEquals(-1, r.tornTailOffset());
    }
  }

  @Test
  void failedSyncIsStickyAndSurfacesTheIOException() {
    LogWriter w = LogWriter.create(env, dir.resolve("2.log"), 2);
    w.append(new byte[] {1});
    env.failSyncs(true);
    StorageIOException e = assertThrows(StorageIOException.class, w::sync);
    assertInstanceOf(IOException.class, e.getCause());
    assertTrue(e.getCause().getMessage().startsWith("injected"), e.getCause().getMessage());
    env.resetFaults();
    assertThrows(StorageIOException.class, w::sync, "a sync after a failed fsync must not pass");
    assertThrows(StorageIOException.class, () -> w.append(new byte[] {2}));
    assertThrows(StorageIOException.class, w::close);
  }

  @Test
  void failedAppendIsStickySoNothingIsWrittenAfterAnUnknownTail() {
    LogWriter w = LogWriter.create(env, dir.resolve("3.log"), 3);
    env.failWritesAfter(1);
    w.append(new byte[] {1});
    StorageIOException e = assertThrows(StorageIOException.class, () -> w.append(new byte[] {2}));
    assertTrue(e.getCause().getMessage().startsWith("injected"));
    env.resetFaults();
    assertThrows(StorageIOException.class, () -> w.append(new byte[] {3}));
    assertThrows(StorageIOException.class, w::sync);
  }

  @Test
  void createFailsWithStorageIOExceptionWhenTheHeaderCannotBeWritten() {
    env.failWritesAfter(0);
    StorageIOException e =
        assertThrows(
            StorageIOException.class, () -> LogWriter.create(env, dir.resolve("4.log"), 4));
    assertInstanceOf(IOException.class, e.getCause());
  }

  @Test
  void syncAfterCloseIsANoOpAndAppendAfterCloseIsRejected() {
    LogWriter w = LogWriter.create(env, dir.resolve("5.log"), 5);
    w.append(new byte[] {1});
    w.close();
    assertEquals(w.size(), w.syncedSize(), "close synced");
    w.sync();
    w.close();
    assertThrows(StoreClosedException.class, () -> w.append(new byte[] {2}));
  }
}
