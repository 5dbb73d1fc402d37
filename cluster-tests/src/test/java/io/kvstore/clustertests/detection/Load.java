package io.kvstore.clustertests.detection;

import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import io.kvstore.clustertests.harness.ContainerCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background load for detection measurements: one thread per node, each pinned to its node,
 * writing and reading its own keys in a loop. Failures during faults are expected and only
 * counted; the load is there so heartbeats compete with real requests. Thread safe.
 */
final class Load implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  private Load() {}

  static Load start(ContainerCluster cluster) {
    Load load = new Load();
    for (int i = 0; i < cluster.size(); i++) {
      int node = i;
      Thread t = new Thread(() -> load.run(cluster, node), "load-n" + (node + 1));
      t.setDaemon(true);
      load.threads.add(t);
      t.start();
    }
    return load;
  }

  private void run(ContainerCluster cluster, int node) {
    long n = 0;
    while (running.get()) {
      try (KvClient c = cluster.client(node, Duration.ofSeconds(2))) {
        while (running.get()) {
          byte[] key = ("load-n" + node + "-" + (n++ % 100)).getBytes(StandardCharsets.UTF_8);
          // Read, then write with the read's context: the value replaces what was read.
          Context read = c.get(key).context();
          c.put(key, ("v" + n).getBytes(StandardCharsets.UTF_8), read);
          ok.addAndGet(2);
        }
      } catch (RuntimeException e) {
        failed.incrementAndGet();
        sleep(200); // a faulted node: back off rather than spin
      }
    }
  }

  long ok() {
    return ok.get();
  }

  long failed() {
    return failed.get();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
