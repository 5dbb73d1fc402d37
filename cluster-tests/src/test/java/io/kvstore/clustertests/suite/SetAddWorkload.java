package io.kvstore.clustertests.suite;

import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.PutResult;
import io.kvstore.client.ReadOptions;
import io.kvstore.client.WriteOptions;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.SetCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The set-add workload (FAULT-SUITE.md): a few keys, each holding a set of ints; an add reads the
 * key (R=2), takes the union of its siblings plus a fresh element, and writes it back with the
 * read's context (W=2). One client per node, pinned to it, so both sides of a partition write.
 * Every read and add is recorded at invocation and completion.
 *
 * <p>The negative control resolves siblings wrongly (keeps the first, drops the rest), and
 * begins by making two concurrent writes so that there are siblings to drop: the C1 checker
 * must see lost writes in its history, or the harness cannot see loss at all.
 */
final class SetAddWorkload {
  private final ContainerCluster cluster;
  private final History history;
  private final List<String> keys;
  private final boolean negativeControl;
  private final long seed;
  private final Duration timeout;
  private final AtomicInteger nextElement = new AtomicInteger(1);
  private final Set<String> used = ConcurrentHashMap.newKeySet();
  private long start;

  SetAddWorkload(ContainerCluster cluster, History history, List<String> keys,
      boolean negativeControl, long seed, Duration timeout) {
    this.cluster = cluster;
    this.history = history;
    this.keys = List.copyOf(keys);
    this.negativeControl = negativeControl;
    this.seed = seed;
    this.timeout = timeout;
  }

  /**
   * Keys rotate: every {@link #GENERATION_NANOS} all clients move to a fresh generation of the
   * key set, so a set (and every read of it recorded in the history) stays small, while the
   * clients still race on the same few keys at any moment.
   */
  private static final long GENERATION_NANOS = 2_000_000_000L;

  /** Every key that was used, for the final reads. */
  List<String> usedKeys() {
    return used.stream().sorted().toList();
  }

  private String pickKey(Random rnd) {
    long generation = (System.nanoTime() - start) / GENERATION_NANOS;
    String key = keys.get(rnd.nextInt(keys.size())) + "-g" + generation;
    used.add(key);
    return key;
  }

  /** Runs one client per node until {@code duration} has passed. */
  void run(Duration duration) throws InterruptedException {
    start = System.nanoTime();
    if (negativeControl) {
      forceSiblings();
    }
    long end = System.nanoTime() + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      int node = i;
      Thread t = new Thread(() -> work(node, end), "client-n" + (node + 1));
      workers.add(t);
      t.start();
    }
    for (Thread t : workers) {
      t.join();
    }
  }

  private void work(int node, long end) {
    Random rnd = new Random(seed * 31 + node);
    String name = "n" + (node + 1);
    try (KvClient client = cluster.client(node, timeout)) {
      int process = history.newProcess();
      while (System.nanoTime() < end) {
        String key = pickKey(rnd);
        GetResult read = read(client, process, key, name);
        if (read == null) {
          backOff(rnd);
          continue;
        }
        int before = process;
        process = add(client, process, key, name, read);
        if (process != before) {
          backOff(rnd);
        }
      }
    }
  }

  /**
   * After a failure, pause 50-150 ms: a client of a dead node would otherwise spin on instant
   * connection failures and flood the history (a real client backs off too).
   */
  private static void backOff(Random rnd) {
    try {
      Thread.sleep(50 + rnd.nextInt(100));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private GetResult read(KvClient client, int process, String key, String node) {
    Op inv = history.invoke(process, Op.F.READ, key, null, node);
    try {
      GetResult g = client.get(bytes(key), new ReadOptions(2, 0));
      history.ok(inv, Completion.NONE.withValues(strings(g.siblings()))
          .withContext(g.context().toBase64()).withAcks(g.replies()));
      return g;
    } catch (KvException e) {
      history.fail(inv, e.toString()); // a read changes nothing: failed either way
      return null;
    }
  }

  /** Records one add; returns the process to continue with (a new one after an indeterminate op). */
  private int add(KvClient client, int process, String key, String node, GetResult read) {
    int element = nextElement.getAndIncrement();
    List<String> siblings = strings(read.siblings());
    if (negativeControl && siblings.size() > 1) {
      siblings = siblings.subList(0, 1); // the bug under control: drops concurrent siblings
    }
    String value = SetCodec.add(siblings, element);
    Op inv = history.invoke(process, Op.F.ADD, key, Integer.toString(element), node,
        read.context().toBase64());
    try {
      PutResult p = client.put(bytes(key), bytes(value), read.context(), new WriteOptions(2, 0));
      history.ok(inv, Completion.NONE.withAcks(p.acks()).withContext(p.context().toBase64()));
      return process;
    } catch (KvException e) {
      if (definitelyNotApplied(e)) {
        history.fail(inv, e.toString());
        backOff(new Random(element));
        return process;
      }
      history.info(inv, e.toString());
      return history.newProcess();
    }
  }

  /** Two writes with the same context through two nodes: two siblings, for the control to drop. */
  private void forceSiblings() {
    String key = keys.getFirst() + "-g0";
    used.add(key);
    try (KvClient a = cluster.client(0, timeout); KvClient b = cluster.client(1, timeout)) {
      int pa = history.newProcess();
      int pb = history.newProcess();
      GetResult base = read(a, pa, key, "n1");
      if (base == null) {
        return;
      }
      add(a, pa, key, "n1", base);
      add(b, pb, key, "n2", base);
    }
  }

  /**
   * Whether a failed write certainly changed nothing: the request never reached a node, or the
   * node refused it before writing (bad input, too many siblings, overload). A quorum failure or
   * a timeout may have written some replicas: indeterminate.
   */
  static boolean definitelyNotApplied(KvException e) {
    return e.unreachable()
        || e.code() == KvException.Code.INVALID_ARGUMENT
        || e.code() == KvException.Code.FAILED_PRECONDITION
        || e.code() == KvException.Code.RESOURCE_EXHAUSTED;
  }

  static List<String> strings(List<byte[]> values) {
    List<String> out = new ArrayList<>();
    for (byte[] v : values) {
      out.add(new String(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
