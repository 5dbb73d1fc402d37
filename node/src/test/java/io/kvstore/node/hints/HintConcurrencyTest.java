package io.kvstore.node.hints;

import static io.kvstore.node.hints.HintFixtures.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.ring.NodeId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent appenders all complete and are all read back; their fsyncs are shared. */
class HintConcurrencyTest {
  private static final int THREADS = 8;
  private static final int PER_THREAD = 200;
  @TempDir Path dir;

  @Test
  void concurrentAppendsAllCompleteAreAllReadBackAndShareFsyncs() throws Exception {
    Random r = HintFixtures.seeded("groupCommit");
    HintFixtures.CountingEnv env =
        new HintFixtures.CountingEnv(io.kvstore.lsm.env.DefaultEnv.INSTANCE, 1);
    HintFixtures.ManualClock clock = new HintFixtures.ManualClock();
    List<NodeId> targets = List.of(NodeId.of("n1"), NodeId.of("n2"));
    long seed = r.nextLong();
    try (HintStore store = HintStore.open(env, dir, clock, 64 << 10)) {
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int id = t;
        threads.add(Thread.ofPlatform().start(() -> appendAll(store, targets, id, seed, go)));
      }
      go.countDown();
      for (Thread th : threads) {
        th.join();
      }
      long appends = (long) THREADS * PER_THREAD;
      long syncs = env.syncs.get();
      System.out.printf("group commit: %d appends, %d fsyncs, %.1f appends per fsync%n",
          appends, syncs, (double) appends / syncs);
      assertTrue(syncs < appends / 2, "fsyncs " + syncs + " for " + appends + " appends");
      Set<Integer> seen = new HashSet<>();
      for (NodeId t : targets) {
        for (HintRecord rec : readAll(store.reader(t, 0))) {
          assertTrue(seen.add(ByteBuffer.wrap(rec.hint().key()).getInt()), "duplicate");
        }
      }
      assertEquals(appends, seen.size());
    }
  }

  private static void appendAll(
      HintStore store, List<NodeId> targets, int id, long seed, CountDownLatch go) {
    Random r = new Random(seed + id);
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    try {
      go.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    for (int i = 0; i < PER_THREAD; i++) {
      byte[] key = ByteBuffer.allocate(4).putInt(id * PER_THREAD + i).array();
      acks.add(store.append(targets.get(r.nextInt(2)), key, new byte[r.nextInt(200)],
          HintFixtures.COORD));
      if (r.nextInt(4) == 0) {
        acks.get(acks.size() - 1).join(); // some writers wait for each ack, as a coordinator does
      }
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
  }
}
