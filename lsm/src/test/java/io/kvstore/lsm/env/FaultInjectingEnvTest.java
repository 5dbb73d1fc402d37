package io.kvstore.lsm.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.testing.SeededRandom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SeededRandom.class)
class FaultInjectingEnvTest {
  private final FaultInjectingEnv env = new FaultInjectingEnv();
  @TempDir Path dir;

  @Test
  void crashDropsUnsyncedBytesAndKeepsSyncedOnes(Random rnd) throws Exception {
    Path f = dir.resolve("data");
    byte[] synced = bytes(rnd, 1 + rnd.nextInt(5000));
    byte[] unsynced = bytes(rnd, 1 + rnd.nextInt(5000));
    WritableFile w = env.newWritableFile(f);
    env.syncDirectory(dir);
    w.append(synced);
    w.sync();
    w.append(unsynced);
    assertEquals(synced.length + unsynced.length, Files.size(f), "the OS has all of it");
    assertEquals(synced.length, env.syncedLength(f));
    env.simulateCrash();
    assertArrayEquals(synced, Files.readAllBytes(f));
  }

  @Test
  void crashEmptiesAFileThatWasNeverSynced() throws Exception {
    Path f = dir.resolve("never");
    WritableFile w = env.newWritableFile(f);
    env.syncDirectory(dir);
    w.append(new byte[100]);
    env.simulateCrash();
    assertEquals(0, Files.size(f));
  }

  @Test
  void fileCreatedSinceTheLastDirectorySyncIsDeletedEvenIfItsDataWasSynced() throws Exception {
    Path kept = dir.resolve("kept");
    Path lost = dir.resolve("lost");
    WritableFile k = env.newWritableFile(kept);
    env.syncDirectory(dir);
    WritableFile l = env.newWritableFile(lost);
    for (WritableFile w : List.of(k, l)) {
      w.append(new byte[] {1, 2, 3});
      w.sync();
    }
    env.simulateCrash();
    assertTrue(Files.exists(kept));
    assertEquals(3, Files.size(kept));
    assertFalse(Files.exists(lost));
  }

  @Test
  void directorySyncOnlyCoversItsOwnDirectory() throws Exception {
    Path sub = dir.resolve("sub");
    env.createDirectories(sub);
    Path inSub = sub.resolve("f");
    env.newWritableFile(inSub).close();
    env.syncDirectory(dir);
    env.simulateCrash();
    assertFalse(Files.exists(inSub));
  }

  @Test
  void handlesOpenedBeforeACrashFailAfterIt() throws Exception {
    Path f = dir.resolve("f");
    WritableFile w = env.newWritableFile(f);
    w.append(new byte[] {1});
    w.sync();
    env.syncDirectory(dir);
    ReadableFile r = env.newReadableFile(f);
    env.simulateCrash();
    assertThrows(IOException.class, () -> w.append(new byte[] {2}));
    assertThrows(IOException.class, w::sync);
    assertThrows(IOException.class, () -> r.readFully(0, new byte[1], 0, 1));
    w.close(); // harmless
    try (ReadableFile again = env.newReadableFile(f)) {
      byte[] b = new byte[1];
      again.readFully(0, b, 0, 1);
      assertEquals(1, b[0], "the env itself works after a crash");
    }
  }

  @Test
  void renameIsDurableAtOnceAndCarriesTheSyncedLength() throws Exception {
    Path tmp = dir.resolve("tmp");
    Path target = dir.resolve("target");
    WritableFile w = env.newWritableFile(tmp);
    w.append(new byte[] {1, 2});
    w.sync();
    w.append(new byte[] {3});
    env.renameAtomic(tmp, target);
    env.simulateCrash();
    assertFalse(Files.exists(tmp));
    assertArrayEquals(new byte[] {1, 2}, Files.readAllBytes(target), "documented simplification");
  }

  @Test
  void injectedWriteFailureComesAfterTheGivenNumberOfAppends() throws Exception {
    WritableFile w = env.newWritableFile(dir.resolve("f"));
    env.failWritesAfter(2);
    w.append(new byte[] {1});
    w.append(new byte[] {2});
    IOException e = assertThrows(IOException.class, () -> w.append(new byte[] {3}));
    assertTrue(e.getMessage().startsWith("injected"), e.getMessage());
    assertEquals(2, Files.size(dir.resolve("f")), "a failed append writes nothing");
    env.resetFaults();
    w.append(new byte[] {4});
  }

  @Test
  void injectedSyncAndRenameFailuresSurfaceAsIOException() throws Exception {
    Path f = dir.resolve("f");
    WritableFile w = env.newWritableFile(f);
    w.append(new byte[] {1});
    env.failSyncs(true);
    assertTrue(assertThrows(IOException.class, w::sync).getMessage().startsWith("injected"));
    assertThrows(IOException.class, () -> env.syncDirectory(dir));
    assertEquals(0, env.syncedLength(f), "a failed sync made nothing durable");
    env.failRenames(true);
    IOException e = assertThrows(IOException.class, () -> env.renameAtomic(f, dir.resolve("g")));
    assertTrue(e.getMessage().startsWith("injected"));
    assertTrue(Files.exists(f));
    env.resetFaults();
    w.sync();
    env.renameAtomic(f, dir.resolve("g"));
  }

  @Test
  void concurrentWritersSyncersAndACrashKeepEachFilesSyncedPrefix(Random rnd) throws Exception {
    int n = 4;
    List<Path> paths = new ArrayList<>();
    List<WritableFile> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      paths.add(dir.resolve("c" + i));
      files.add(env.newWritableFile(paths.get(i)));
    }
    env.syncDirectory(dir);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<long[]>> results = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        WritableFile w = files.get(i);
        long seed = rnd.nextLong();
        results.add(pool.submit(() -> writeUntilCrash(w, new Random(seed))));
      }
      Thread.sleep(20);
      env.simulateCrash();
      for (int i = 0; i < n; i++) {
        long[] writtenAndSynced = results.get(i).get(30, TimeUnit.SECONDS);
        long size = Files.size(paths.get(i));
        assertTrue(size >= writtenAndSynced[1], "file " + i + " lost synced bytes");
        assertTrue(size <= writtenAndSynced[0]);
        byte[] content = Files.readAllBytes(paths.get(i));
        for (int j = 0; j < content.length; j++) {
          assertEquals((byte) j, content[j], "file " + i + " byte " + j);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Appends the byte pattern 0,1,2,... and syncs now and then; returns {written, synced}. */
  private static long[] writeUntilCrash(WritableFile w, Random rnd) {
    long written = 0;
    long synced = 0;
    try {
      while (true) {
        byte[] chunk = new byte[1 + rnd.nextInt(300)];
        for (int k = 0; k < chunk.length; k++) {
          chunk[k] = (byte) (written + k);
        }
        w.append(chunk);
        written += chunk.length;
        if (rnd.nextInt(4) == 0) {
          w.sync();
          synced = written;
        }
      }
    } catch (IOException expectedAfterCrash) {
      return new long[] {written, synced};
    }
  }

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return Arrays.copyOf(b, n);
  }
}
