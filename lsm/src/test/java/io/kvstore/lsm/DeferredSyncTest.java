package io.kvstore.lsm;

import static io.kvstore.lsm.TestStores.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kvstore.lsm.env.FaultInjectingEnv;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write with a deferred sync is visible at once but durable only after {@link
 * LsmStore#syncCommitLog()}: a machine crash before the sync may lose it, one after may not.
 */
class DeferredSyncTest {
  @TempDir Path dir;

  @Test
  void deferredWritesBecomeDurableAtSyncCommitLog() throws Exception {
    FaultInjectingEnv env = new FaultInjectingEnv();
    Options options = TestStores.tiny().env(env).syncPolicy(SyncPolicy.group()).build();
    LsmStore store = LsmStore.open(dir, options);
    store.write(new WriteBatch().put(bytes("synced"), bytes("1")), true);
    store.syncCommitLog();
    store.write(new WriteBatch().put(bytes("deferred"), bytes("2")), true);
    assertArrayEquals(bytes("2"), store.get(bytes("deferred")), "visible before the sync");
    env.failWritesAfter(0);
    env.failSyncs(true);
    env.simulateCrash();
    try {
      store.close();
    } catch (LsmException expected) {
      // the crashed disk refuses the final sync
    }
    try (LsmStore reopened = LsmStore.open(dir, TestStores.tiny().build())) {
      assertArrayEquals(bytes("1"), reopened.get(bytes("synced")));
      assertNull(reopened.get(bytes("deferred")), "an unsynced write cannot survive this crash");
    }
  }
}
