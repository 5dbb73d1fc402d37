package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.env.FaultInjectingEnv;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Closing, double opening, and sticky errors from the commit log and background work. */
class StoreLifecycleTest {
  @TempDir Path dir;

  @Test
  void everyCallAfterCloseThrowsStoreClosed() {
    LsmStore store = LsmStore.open(dir, TestStores.tiny().build());
    store.put(bytes("a"), bytes("1"));
    store.close();
    store.close(); // idempotent
    assertThrows(StoreClosedException.class, () -> store.put(bytes("a"), bytes("2")));
    assertThrows(StoreClosedException.class, () -> store.get(bytes("a")));
    assertThrows(StoreClosedException.class, () -> store.scan(null, null));
    assertThrows(StoreClosedException.class, store::flush);
    assertThrows(StoreClosedException.class, store::compact);
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() {
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().build())) {
      StorageIOException e =
          assertThrows(StorageIOException.class, () -> LsmStore.open(dir, TestStores.tiny().build()));
      assertTrue(e.getMessage().contains("already open"), e.getMessage());
    }
    LsmStore.open(dir, TestStores.tiny().build()).close(); // released on close
  }

  @Test
  void failedFsyncIsStickyForWritesButReadsGoOn() {
    FaultInjectingEnv env = new FaultInjectingEnv();
    try (LsmStore store =
        LsmStore.open(dir, TestStores.tiny().env(env).syncPolicy(SyncPolicy.group()).build())) {
      store.put(bytes("a"), bytes("1"));
      env.failSyncs(true);
      StorageIOException first =
          assertThrows(StorageIOException.class, () -> store.put(bytes("b"), bytes("2")));
      env.resetFaults();
      LsmException again = assertThrows(LsmException.class, () -> store.put(bytes("c"), bytes("3")));
      assertSame(first, again, "the first failure is the one reported, every time");
      assertThrows(LsmException.class, store::flush);
      assertArrayEquals(bytes("1"), store.get(bytes("a")));
    } catch (LsmException closeFailure) {
      // close() may report the same sticky failure; the assertions above are what matter.
    }
  }

  @Test
  void failedManifestWriteDuringFlushIsStickyAndLosesNothing() {
    FaultInjectingEnv env = new FaultInjectingEnv();
    Options options = TestStores.tiny().env(env).syncPolicy(SyncPolicy.group()).build();
    LsmStore store = LsmStore.open(dir, options);
    store.put(bytes("a"), bytes("1"));
    env.failRenames(true);
    assertThrows(LsmException.class, store::flush);
    assertThrows(LsmException.class, () -> store.put(bytes("b"), bytes("2")));
    assertArrayEquals(bytes("1"), store.get(bytes("a")));
    env.resetFaults();
    try {
      store.close();
    } catch (LsmException ignored) {
      // the sticky error may surface again
    }
    try (LsmStore reopened = LsmStore.open(dir, options)) {
      assertArrayEquals(bytes("1"), reopened.get(bytes("a")), "acknowledged write lost");
    }
  }
}
