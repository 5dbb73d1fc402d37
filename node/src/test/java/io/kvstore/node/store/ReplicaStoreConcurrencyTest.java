package io.kvstore.node.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.node.NodeError;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local writers of one key never lose each other's updates: coordinated writes and incoming
 * replications of the same key from many threads all end up in the stored sibling set.
 */
class ReplicaStoreConcurrencyTest {
  @TempDir Path dir;

  @Test
  void concurrentBlindWritesAndMergesOfOneKeyAllSurvive() throws Exception {
    byte[] key = "hot".getBytes(StandardCharsets.UTF_8);
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    try (ReplicaStore store = new ReplicaStore(LsmStore.open(dir,
        Options.builder().syncPolicy(SyncPolicy.none()).build()))) {
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int id = t;
        threads.add(new Thread(() -> {
          try {
            Actor me = new Actor("n1", 1);
            Actor remote = new Actor("peer" + id, 1);
            SiblingSet remoteState = SiblingSet.EMPTY;
            for (int i = 0; i < 25; i++) {
              // A blind write coordinated here, and a write replicated from another actor.
              store.coordinate(key, Value.of(bytes("local-" + id + "-" + i)), VersionVector.EMPTY,
                  me, 1000);
              remoteState = remoteState.put(Value.of(bytes("remote-" + id + "-" + i)),
                  VersionVector.EMPTY, remote);
              store.merge(key, remoteState);
            }
          } catch (Throwable e) {
            errors.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertTrue(errors.isEmpty(), () -> "worker failed: " + errors.peek());
      Set<String> values = new HashSet<>();
      for (byte[] v : store.read(key).orElseThrow().liveValues()) {
        values.add(new String(v, StandardCharsets.UTF_8));
      }
      assertEquals(200, values.size(), "every blind write and every replicated write is a sibling");
    }
  }

  @Test
  void aWriteBeyondTheSiblingLimitIsRefusedAndChangesNothing() {
    byte[] key = bytes("crowded");
    try (ReplicaStore store = new ReplicaStore(LsmStore.open(dir, Options.defaults()))) {
      Actor me = new Actor("n1", 1);
      for (int i = 0; i < 3; i++) {
        store.coordinate(key, Value.of(bytes("v" + i)), VersionVector.EMPTY, me, 3);
      }
      SiblingSet before = store.read(key).orElseThrow();
      NodeError e = assertThrows(NodeError.class,
          () -> store.coordinate(key, Value.of(bytes("one-too-many")), VersionVector.EMPTY, me, 3));
      assertEquals(NodeError.Code.FAILED_PRECONDITION, e.code());
      assertTrue(e.getMessage().contains("limit 3"), e.getMessage());
      assertEquals(before, store.read(key).orElseThrow());
      // Resolving with the merged context is always allowed.
      store.coordinate(key, Value.of(bytes("resolved")), before.context(), me, 3);
      assertEquals(1, store.read(key).orElseThrow().siblings().size());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
