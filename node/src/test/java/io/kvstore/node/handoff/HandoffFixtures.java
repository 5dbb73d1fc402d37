package io.kvstore.node.handoff;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.node.config.HintsConfig;
import io.kvstore.node.hints.Hint;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.SimulatedTime;
import io.kvstore.ring.NodeId;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Doubles and helpers for the handoff tests. Thread safety: as stated per member. */
final class HandoffFixtures {
  static final NodeId SELF = NodeId.of("self");
  static final long WINDOW_MILLIS = Duration.ofHours(3).toMillis();

  private HandoffFixtures() {}

  static HintsConfig config(long maxBytesPerSecond, int batchHints) {
    return new HintsConfig(Duration.ofMillis(WINDOW_MILLIS), 16 << 10, 1 << 20,
        Duration.ofSeconds(10), maxBytesPerSecond, batchHints);
  }



  /** A hint whose key is its sequence number, so tests can check order and loss. */
  static Hint hint(Random r, int seq, long created) {
    byte[] sib = new byte[50 + r.nextInt(400)];
    r.nextBytes(sib);
    return new Hint(key(seq), sib, created, SELF);
  }

  static byte[] key(int seq) {
    return ByteBuffer.allocate(4).putInt(seq).array();
  }

  static int seq(byte[] key) {
    return ByteBuffer.wrap(key).getInt();
  }

  static List<Hint> append(
      HintStore store, NodeId target, Random r, int from, int n, long created) {
    List<Hint> out = new ArrayList<>();
    for (int i = from; i < from + n; i++) {
      Hint h = hint(r, i, created);
      store.append(target, h).join();
      out.add(h);
    }
    return out;
  }



  /**
   * What every handoff test drives: simulated time, targets, liveness and a recording listener,
   * and managers over them. Thread safe as its parts.
   */
  static final class Harness {
    final SimulatedTime time = new SimulatedTime();
    final Targets targets = new Targets(time);
    final Recorder recorder = new Recorder();
    final Switchboard liveness = new Switchboard();

    HandoffManager manager(HintStore store, Executor executor, HintsConfig config, Path flags) {
      return new HandoffManager(SELF, store, targets, liveness, time, time, executor, config,
          flags, recorder);
    }

    HintStore openStore(Path dir) {
      return HintStore.open(DefaultEnv.INSTANCE, dir, time, 16 << 10);
    }
  }

  /** Runs each task as soon as it is given, on the caller's thread. */
  static final Executor DIRECT = Runnable::run;

  /** Holds tasks until the test runs them. Thread safe. */
  static final class ManualExecutor implements Executor {
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
      tasks.add(task);
    }

    synchronized int pending() {
      return tasks.size();
    }

    /** Runs tasks (and the tasks they queue) until none is left. */
    void runAll() {
      while (true) {
        Runnable t;
        synchronized (this) {
          t = tasks.poll();
        }
        if (t == null) {
          return;
        }
        t.run();
      }
    }
  }

  /**
   * Simulated targets: each answers a delivery after a latency on simulated time, or fails it, as
   * its {@link Behaviour} says; everything delivered and acknowledged is recorded. Thread safe.
   */
  static final class Targets implements HintDelivery {
    /** How one target answers its n-th delivery (0-based). */
    interface Behaviour {
      /** Milliseconds until the answer; negative: never answer. */
      long latency(int n);

      /** Whether the answer is a failure. */
      boolean fails(int n);
    }

    static final Behaviour ACK_AT_ONCE = behave(0, false);

    static Behaviour behave(long latency, boolean fails) {
      return new Behaviour() {
        @Override
        public long latency(int n) {
          return latency;
        }

        @Override
        public boolean fails(int n) {
          return fails;
        }
      };
    }

    private final SimulatedTime time;
    private final Map<NodeId, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final Map<NodeId, List<Integer>> attempts = new HashMap<>();
    private final Map<NodeId, List<Long>> attemptTimes = new HashMap<>();
    private final Map<NodeId, List<Integer>> acked = new HashMap<>();
    private final Map<NodeId, Set<Integer>> inFlight = new HashMap<>();
    private volatile BiConsumer<NodeId, Hint> onDeliver = (t, h) -> {};

    Targets(SimulatedTime time) {
      this.time = time;
    }

    void set(NodeId target, Behaviour b) {
      behaviours.put(target, b);
    }

    void onDeliver(BiConsumer<NodeId, Hint> check) {
      onDeliver = check;
    }

    @Override
    public CompletableFuture<Void> deliver(NodeId target, Hint hint) {
      onDeliver.accept(target, hint);
      int seq = seq(hint.key());
      int n;
      synchronized (this) {
        n = attempts.computeIfAbsent(target, t -> new ArrayList<>()).size();
        attempts.get(target).add(seq);
        attemptTimes.computeIfAbsent(target, t -> new ArrayList<>()).add(time.millis());
        inFlight.computeIfAbsent(target, t -> new HashSet<>()).add(seq);
      }
      Behaviour b = behaviours.getOrDefault(target, ACK_AT_ONCE);
      CompletableFuture<Void> f = new CompletableFuture<>();
      long latency = b.latency(n);
      boolean fails = b.fails(n);
      Runnable answer = () -> {
        synchronized (this) {
          inFlight.get(target).remove(seq);
          if (!fails) {
            acked.computeIfAbsent(target, t -> new ArrayList<>()).add(seq);
          }
        }
        if (fails) {
          f.completeExceptionally(new RuntimeException("simulated failure of " + target.id()));
        } else {
          f.complete(null);
        }
      };
      if (latency == 0) {
        answer.run();
      } else if (latency > 0) {
        time.schedule(answer, latency, TimeUnit.MILLISECONDS);
      }
      return f;
    }

    synchronized List<Integer> attempts(NodeId target) {
      return List.copyOf(attempts.getOrDefault(target, List.of()));
    }

    synchronized List<Long> attemptTimes(NodeId target) {
      return List.copyOf(attemptTimes.getOrDefault(target, List.of()));
    }

    synchronized List<Integer> acked(NodeId target) {
      return List.copyOf(acked.getOrDefault(target, List.of()));
    }

    synchronized Set<Integer> ackedSet(NodeId target) {
      return new HashSet<>(acked.getOrDefault(target, List.of()));
    }
  }

  /** Records what the manager reports. Thread safe. */
  static final class Recorder implements HandoffListener {
    final Map<NodeId, List<Integer>> delivered = new HashMap<>();
    final Map<NodeId, Integer> drained = new HashMap<>();

    @Override
    public synchronized void delivered(NodeId target, byte[] key) {
      delivered.computeIfAbsent(target, t -> new ArrayList<>()).add(seq(key));
    }

    @Override
    public synchronized void drained(NodeId target) {
      drained.merge(target, 1, Integer::sum);
    }

    synchronized List<Integer> delivered(NodeId target) {
      return List.copyOf(delivered.getOrDefault(target, List.of()));
    }

    synchronized int drainedCount(NodeId target) {
      return drained.getOrDefault(target, 0);
    }
  }

  /** A liveness that says what the test tells it. Thread safe. */
  static final class Switchboard implements io.kvstore.node.cluster.Liveness {
    private final Set<NodeId> down = ConcurrentHashMap.newKeySet();
    final AtomicInteger asked = new AtomicInteger();

    void down(NodeId n) {
      down.add(n);
    }

    void up(NodeId n) {
      down.remove(n);
    }

    @Override
    public boolean isUp(NodeId node) {
      asked.incrementAndGet();
      return !down.contains(node);
    }
  }
}
