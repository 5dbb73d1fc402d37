package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.DefaultEnv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FORMAT.md "Incarnation file": durable, monotonic, and loud when unreadable. */
class IncarnationStoreTest {
  @TempDir Path tmp;

  @Test
  void firstStartIsOneAndEveryStartIncrements() {
    Path meta = tmp.resolve("data/meta");
    assertEquals(0, IncarnationStore.current(DefaultEnv.INSTANCE, meta));
    assertEquals(1, IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
    assertEquals(2, IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
    assertEquals(3, IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
    assertEquals(3, IncarnationStore.current(DefaultEnv.INSTANCE, meta));
    assertTrue(Files.exists(meta.resolve(IncarnationStore.FILE_NAME)));
    assertFalse(Files.exists(meta.resolve(IncarnationStore.TEMP_NAME)));
  }

  /**
   * Riak KV679: a wiped meta/ (or an old copy of it restored) must not hand out an incarnation
   * used before. The wall-clock floor moves every start past the earlier ones.
   */
  @Test
  void aWipedOrRestoredDirectoryStillGetsANewIncarnationFromTheClockFloor() throws IOException {
    Path meta = tmp.resolve("w/meta");
    long first = IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta, 1_000);
    assertEquals(1_000, first);
    byte[] backup = Files.readAllBytes(meta.resolve(IncarnationStore.FILE_NAME));
    long second = IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta, 1_000);
    assertEquals(1_001, second, "previous + 1 when the clock has not moved past it");
    Files.write(meta.resolve(IncarnationStore.FILE_NAME), backup); // restored
    assertTrue(IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta, 2_000) > second);
    Files.delete(meta.resolve(IncarnationStore.FILE_NAME)); // wiped
    assertEquals(3_000, IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta, 3_000));
  }

  @Test
  void aLeftoverTempFileFromACrashIsIgnored() throws IOException {
    Path meta = tmp.resolve("meta");
    IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta);
    Files.write(meta.resolve(IncarnationStore.TEMP_NAME), new byte[] {1, 2, 3});
    assertEquals(2, IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
  }

  @Test
  void everyDamagedFileFailsNamingTheFileAndIsLeftUntouched() throws IOException {
    byte[] good = IncarnationStore.encode(41);
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] b = good.clone();
      b[bit / 8] ^= (byte) (1 << (bit % 8));
      assertCorrupt(b, null);
    }
    for (int len = 0; len < good.length; len++) {
      assertCorrupt(Arrays.copyOf(good, len), "bytes, found " + len);
    }
    assertCorrupt(Arrays.copyOf(good, good.length + 1), "expected 17 bytes, found 18");
    assertCorrupt(reseal(good, 0, (byte) 'X'), "bad magic");
    assertCorrupt(reseal(good, 4, (byte) 2), "unsupported version 2");
    assertCorrupt(IncarnationStore.encode(0), "incarnation 0 < 1");
    assertCorrupt(IncarnationStore.encode(-7), "incarnation -7 < 1");
  }

  private static byte[] reseal(byte[] good, int at, byte v) {
    ByteWriter w = new ByteWriter(17);
    byte[] body = Arrays.copyOf(good, 13);
    body[at] = v;
    w.bytes(body);
    w.crc32cFooter();
    return w.toByteArray();
  }

  private void assertCorrupt(byte[] content, String reason) throws IOException {
    Path meta = Files.createTempDirectory(tmp, "meta");
    Path file = meta.resolve(IncarnationStore.FILE_NAME);
    Files.write(file, content);
    for (int attempt = 0; attempt < 2; attempt++) { // fails every time, never restarts at 1
      CorruptionException e =
          assertThrows(CorruptionException.class, () -> IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
      if (reason != null) {
        assertTrue(e.getMessage().contains(reason), e.getMessage());
      }
      assertArrayEquals(content, Files.readAllBytes(file));
    }
  }

  /**
   * Whatever operation fails, the call throws, and no later start reuses a value an earlier
   * call returned.
   */
  @Test
  void anIoFailureAtAnyStepNeverLeadsToAReusedIncarnation() {
    FaultyEnv probe = new FaultyEnv(0);
    IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, tmp.resolve("probe/meta"));
    IncarnationStore.nextIncarnation(probe, tmp.resolve("probe/meta"));
    int steps = probe.ops();
    assertEquals(5, steps, "create temp, append, sync, rename, sync dir");
    for (int failAt = 1; failAt <= steps; failAt++) {
      Path meta = tmp.resolve("f" + failAt + "/meta");
      long returned = IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta); // a first, good start
      FaultyEnv env = new FaultyEnv(failAt);
      assertThrows(StorageIOException.class, () -> IncarnationStore.nextIncarnation(env, meta));
      long after = IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta);
      assertTrue(after > returned, "after failure at op " + failAt + ": " + after);
    }
  }

  @Test
  void anIoFailureCreatingTheDirectoryIsReported() {
    assertThrows(
        StorageIOException.class,
        () -> IncarnationStore.nextIncarnation(new FaultyEnv(1), tmp.resolve("x/meta")));
  }
}
