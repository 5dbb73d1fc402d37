package io.kvstore.clustertests.suite;

import io.kvstore.client.KvClient;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs workloads side by side on their own keys: one client thread per node, pinned to it (so
 * both sides of a partition write), and one more client thread that knows every node (as
 * applications do: its library picks the coordinator and skips nodes it cannot reach), so the
 * availability report can tell what a fault does to a client that could go elsewhere. Each step
 * chooses a workload at random by weight. Sharing the clients keeps the cluster's load, and the
 * suite's time, what one workload alone needs. A scenario may add a write stream, run by one more
 * client of all nodes on its own.
 *
 * <p>Each client thread runs as fast as it can unless {@code -Dkv.stepsPerSecond} caps its steps a
 * second: a closed loop does as many operations as the client and nodes allow, so the histories,
 * their checking and the suite's time grow with every speed-up of the request path. A paced step
 * that starts late is not made up for (no burst after a stall). Not the default: at 100 steps a
 * second a fault window held ~260 writes of the all-nodes client, and the 3 whose outcome stayed
 * unknown when a node was cut off (requests already on their way to it) took it under the 99%
 * write floor, which counts shares, not time.
 */
final class WorkloadMix {
  /** Steps a second per client thread; 0 = unpaced (the default). */
  static final int STEPS_PER_SECOND = Integer.getInteger("kv.stepsPerSecond", 0);

  /** A workload and its share of the steps. */
  record Share(Workload workload, double weight) {
    Share {
      if (!(weight > 0)) {
        throw new IllegalArgumentException("weight must be > 0, got " + weight);
      }
    }
  }

  private final ContainerCluster cluster;
  private final History history;
  private final long seed;
  private final Duration timeout;
  private final List<Share> shares;
  private final double total;
  private final Workload writer;

  WorkloadMix(ContainerCluster cluster, History history, long seed, Duration timeout,
      List<Share> shares) {
    this(cluster, history, seed, timeout, shares, null);
  }

  /**
   * @param writer if not null, run by one more client of all nodes on its own (a write stream
   *     whose availability is not gated by reads)
   */
  WorkloadMix(ContainerCluster cluster, History history, long seed, Duration timeout,
      List<Share> shares, Workload writer) {
    this.cluster = cluster;
    this.history = history;
    this.seed = seed;
    this.timeout = timeout;
    this.shares = List.copyOf(shares);
    this.total = shares.stream().mapToDouble(Share::weight).sum();
    this.writer = writer;
  }

  /** A recording client of node i (for a workload's own set-up steps). */
  ClientOps ops(KvClient client, int node, long salt) {
    return new ClientOps(client, history, ClientKind.PINNED, "n" + (node + 1),
        new Random(seed * 31 + node + salt));
  }

  /**
   * Runs one client per node and one client of all nodes (and the write stream's, if any) until
   * {@code end} (a nanoTime).
   */
  void run(long end) throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      int node = i;
      workers.add(new Thread(() -> {
        try (KvClient client = cluster.client(node, timeout)) {
          work(ops(client, node, 0), end);
        }
      }, "client-n" + (node + 1)));
    }
    workers.add(new Thread(() -> {
      try (KvClient client = cluster.clientOfAll(timeout)) {
        work(new ClientOps(client, history, ClientKind.ALL_NODES, null,
            new Random(seed * 31 + cluster.size())), end);
      }
    }, "client-all"));
    if (writer != null) {
      workers.add(new Thread(() -> {
        try (KvClient client = cluster.clientOfAll(timeout)) {
          ClientOps ops = new ClientOps(client, history, ClientKind.ALL_NODES, null,
              new Random(seed * 31 + cluster.size() + 1));
          Pacer pacer = new Pacer(STEPS_PER_SECOND);
          while (pacer.next(end)) {
            writer.step(ops);
          }
        }
      }, "client-all-writer"));
    }
    workers.forEach(Thread::start);
    for (Thread t : workers) {
      t.join();
    }
  }

  private void work(ClientOps ops, long end) {
    Pacer pacer = new Pacer(STEPS_PER_SECOND);
    while (pacer.next(end)) {
      pick(ops.random()).step(ops);
    }
  }

  /** Spaces one thread's steps at least 1/rate apart, from when the previous was due or ran. */
  static final class Pacer {
    private final long intervalNanos;
    private long due = System.nanoTime();

    Pacer(int perSecond) {
      if (perSecond < 0) {
        throw new IllegalArgumentException("steps per second must be >= 0, got " + perSecond);
      }
      this.intervalNanos = perSecond == 0 ? 0 : 1_000_000_000L / perSecond;
    }

    /**
     * Waits until the next step is due; false once {@code end} (a nanoTime) has passed or the
     * thread is interrupted.
     */
    boolean next(long end) {
      long now = System.nanoTime();
      if (due > now) {
        LockSupport.parkNanos(due - now);
        now = System.nanoTime();
      }
      due = Math.max(due, now) + intervalNanos;
      return now < end && !Thread.currentThread().isInterrupted();
    }
  }

  private Workload pick(Random rnd) {
    double x = rnd.nextDouble() * total;
    for (Share s : shares) {
      x -= s.weight();
      if (x < 0) {
        return s.workload();
      }
    }
    return shares.getLast().workload();
  }

  /** Every key any workload touched, sorted. */
  List<String> usedKeys() {
    TreeSet<String> keys = new TreeSet<>();
    shares.forEach(s -> keys.addAll(s.workload().usedKeys()));
    if (writer != null) {
      keys.addAll(writer.usedKeys());
    }
    return List.copyOf(keys);
  }
}
