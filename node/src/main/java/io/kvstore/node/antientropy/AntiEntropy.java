package io.kvstore.node.antientropy;

import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.config.AntiEntropyConfig;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The anti-entropy scheduler of one node (DESIGN.md section 7): rebuilds trees that are not built
 * (after an unclean stop) and, slowly and jittered, every tree in turn; runs a round with each
 * co-replica about every exchange interval (one {@link Exchange} per shared partition, roots
 * fetched in one call), sooner when a peer asks ({@link #requestRepair}) and on demand ({@link
 * #repair}); tells nodes that lost hints to repair themselves; purges tombstones of the
 * partitions whose exchanges completed.
 *
 * <p>Exchanges run on one thread, so there is one exchange at a time per node and per peer;
 * rebuilds run on another, one at a time. Both are rate limited. Thread safe.
 */
public final class AntiEntropy {
  private static final Logger LOG = LoggerFactory.getLogger(AntiEntropy.class);

  /** How the scheduler reaches co-replicas. */
  public interface Peers {
    AePeer peer(NodeId node);

    /** Asks {@code node} to exchange all its partitions soon (AntiEntropy.RequestRepair). */
    void requestRepair(NodeId node, String reason);
  }

  /** Targets that lost hints (hinted handoff's repair flags). */
  public interface HintLosses {
    Set<NodeId> needsRepair();

    void repaired(NodeId node);
  }

  /** Hears each exchange of a round as it ends; {@code error} non-null when it did not run. */
  public interface Progress {
    Progress NONE = (p, peer, result, error, millis) -> {};

    void exchanged(int partition, NodeId peer, Exchange.Result result, String error, long millis);
  }

  /** One exchange to run: a partition with a co-replica. */
  public record Pair(int partition, NodeId peer) {}

  /** The node's own parts anti-entropy works on. */
  public record Local(NodeId self, int n, Trees trees, ReplicaStore store, ExchangeLog log,
      PurgePolicy purge) {}

  /** What it learns of the cluster and how it reaches it. */
  public record Cluster(Supplier<Ring> ring, Liveness liveness, Peers peers,
      HintLosses hintLosses) {}

  /** Time and threads: one thread for exchanges, one for rebuilds. */
  public record Runtime(Clock clock, ScheduledExecutorService exchanges,
      ScheduledExecutorService rebuilds, RandomGenerator random) {}

  private final Local local;
  private final Cluster cluster;
  private final Runtime rt;
  private final AntiEntropyConfig cfg;
  private final Purger purger;
  private final Budget keyBudget;
  private final Budget byteBudget;
  private final Budget rebuildBudget;
  private final Map<NodeId, Long> nextDue = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastRebuilt = new ConcurrentHashMap<>();
  private final AeCounters counters = new AeCounters();

  public AntiEntropy(Local local, Cluster cluster, Runtime rt, AntiEntropyConfig cfg) {
    this.local = local;
    this.cluster = cluster;
    this.rt = rt;
    this.cfg = cfg;
    this.purger = new Purger(local.trees(), local.store(), local.purge());
    this.keyBudget = new Budget(rt.clock(), cfg.maxKeysPerSecond());
    this.byteBudget = new Budget(rt.clock(), cfg.maxBytesPerSecond());
    this.rebuildBudget = new Budget(rt.clock(), cfg.rebuildKeysPerSecond());
  }

  /**
   * Starts the rebuild of unbuilt trees (always: on-demand repair needs them) and, if enabled,
   * the periodic rounds and rebuilds.
   */
  public void start() {
    // Tombstones stored before this start were noted by no write: one purge scan per partition.
    for (int p : replicated()) {
      local.trees().noteTombstone(p, 1);
    }
    rt.rebuilds().execute(this::rebuildUnbuilt);
    if (!cfg.enabled()) {
      return;
    }
    long tick = Math.max(20, Math.min(1000, cfg.exchangeInterval().toMillis() / 4));
    rt.exchanges().scheduleWithFixedDelay(this::tick, jitter(tick), tick, TimeUnit.MILLISECONDS);
    long each = Math.max(10, cfg.rebuildInterval().toMillis()
        / Math.max(1, replicated().size()));
    rt.rebuilds().scheduleWithFixedDelay(this::rebuildOldest, each + jitter(each), each,
        TimeUnit.MILLISECONDS);
  }

  /** The partitions this node replicates (it is one of their N primaries). */
  public List<Integer> replicated() {
    return cluster.ring().get().partitionsReplicatedBy(local.self(), local.n());
  }

  /** The exchanges a repair of {@code partitions} (all if empty) with {@code peer} (all if null) runs. */
  public List<Pair> plan(Collection<Integer> partitions, NodeId peer) {
    List<Pair> out = new ArrayList<>();
    for (int p : partitions.isEmpty() ? replicated() : partitions) {
      List<NodeId> co = local.purge().coReplicas(p);
      for (NodeId q : co == null ? List.<NodeId>of() : co) {
        if (peer == null || peer.equals(q)) {
          out.add(new Pair(p, q));
        }
      }
    }
    return out;
  }

  /** Runs {@code plan} on the exchange thread, after any exchange already running. */
  public CompletableFuture<Void> repair(List<Pair> plan, Progress progress) {
    return CompletableFuture.runAsync(() -> {
      Map<NodeId, List<Integer>> byPeer = new TreeMap<>();
      plan.forEach(x -> byPeer.computeIfAbsent(x.peer(), k -> new ArrayList<>()).add(x.partition()));
      byPeer.forEach((peer, ps) -> round(peer, ps, progress));
    }, rt.exchanges());
  }

  /** A peer asked for repair (it lost hints): every co-replica is due now. */
  public void requestRepair(NodeId from, String reason) {
    LOG.info("event=repair_requested node={} from={} reason=\"{}\"", local.self().id(), from.id(),
        reason);
    nextDue.clear();
  }

  /** Counters and per-partition freshness, for status and metrics. */
  public AeSummary summary() {
    long now = rt.clock().currentTimeMillis();
    List<AeSummary.PartitionState> states = new ArrayList<>();
    for (int p : replicated()) {
      List<NodeId> co = local.purge().coReplicas(p);
      long last = co == null ? Long.MIN_VALUE : local.log().lastFullExchange(p, co);
      states.add(new AeSummary.PartitionState(p, local.trees().tree(p).built(),
          last == Long.MIN_VALUE ? -1 : Math.max(0, now - last)));
    }
    return counters.summary(states);
  }

  private void tick() {
    try {
      askHintLossTargets();
      long now = rt.clock().millis();
      NodeId next = null;
      long nextAt = Long.MAX_VALUE;
      for (NodeId peer : peers()) {
        long due = nextDue.getOrDefault(peer, 0L);
        if (due <= now && due < nextAt && cluster.liveness().isUp(peer)) {
          next = peer;
          nextAt = due;
        }
      }
      if (next != null) {
        boolean complete = round(next, List.of(), Progress.NONE);
        long interval = cfg.exchangeInterval().toMillis();
        // A round that had to skip a partition (a tree not built yet) comes back sooner.
        nextDue.put(next, rt.clock().millis() + (complete ? interval * 4 / 5 + jitter(interval * 2 / 5)
            : Math.max(100, interval / 10)));
      }
    } catch (RuntimeException e) {
      LOG.warn("event=anti_entropy_tick_failed node={} error=\"{}\"", local.self().id(), e.toString());
    }
  }

  /**
   * Exchanges {@code partitions} (every shared one if empty) with {@code peer}, one after
   * another; returns whether all of them ran to completion.
   */
  private boolean round(NodeId peer, List<Integer> partitions, Progress progress) {
    List<Integer> shared = new ArrayList<>();
    List<Pair> plan = plan(partitions, peer);
    for (Pair x : plan) {
      if (local.trees().tree(x.partition()).built()) {
        shared.add(x.partition());
      } else {
        progress.exchanged(x.partition(), peer, null, "tree not built here yet", 0);
      }
    }
    boolean complete = shared.size() == plan.size();
    if (shared.isEmpty()) {
      return complete;
    }
    long start = rt.clock().currentTimeMillis();
    int[] ps = shared.stream().mapToInt(Integer::intValue).toArray();
    AePeer remote = cluster.peers().peer(peer);
    AePeer.Roots roots;
    try {
      roots = remote.roots(ps);
    } catch (RuntimeException e) {
      counters.failed(ps.length);
      for (int p : ps) {
        progress.exchanged(p, peer, null, e.getMessage(), 0);
      }
      return false;
    }
    boolean failedOnce = false;
    // First comparison of every partition, one pause, then the second comparison and repair.
    // The first failure ends the round: the peer is likely paused or cut off, and waiting out a
    // deadline per partition would hold up the rounds with every other co-replica.
    List<Running> differing = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      if (failedOnce) {
        progress.exchanged(ps[i], peer, null, "round with " + peer.id() + " stopped after an"
            + " error", 0);
        continue;
      }
      if (!roots.built()[i]) {
        progress.exchanged(ps[i], peer, null, "tree not built on " + peer.id() + " yet", 0);
        complete = false;
        continue;
      }
      Running x = new Running(ps[i], peer, new Exchange(ps[i], local.trees(), local.store(),
          remote, local.purge(), waits(), rt.clock().currentTimeMillis()));
      long t0 = rt.clock().nanoTime();
      try {
        boolean differs = x.exchange.compare(roots.roots()[i]);
        x.busyNanos = rt.clock().nanoTime() - t0;
        if (differs) {
          differing.add(x);
        } else {
          done(x, start, progress);
        }
      } catch (RuntimeException e) {
        complete = failed(x, e, progress);
        failedOnce = true;
      }
    }
    if (!differing.isEmpty() && !failedOnce) {
      pause();
    }
    for (Running x : differing) {
      if (failedOnce) {
        progress.exchanged(x.partition, peer, null, "round with " + peer.id() + " stopped after"
            + " an error", 0);
        continue;
      }
      try {
        done(x, start, progress);
      } catch (RuntimeException e) {
        complete = failed(x, e, progress);
        failedOnce = true;
      }
    }
    return complete;
  }

  /**
   * An exchange of a round, and the time its first comparison took (its duration excludes the
   * round's pause and the other exchanges of the round).
   */
  private static final class Running {
    final int partition;
    final NodeId peer;
    final Exchange exchange;
    long busyNanos;

    Running(int partition, NodeId peer, Exchange exchange) {
      this.partition = partition;
      this.peer = peer;
      this.exchange = exchange;
    }
  }

  private void done(Running x, long start, Progress progress) {
    long t0 = rt.clock().nanoTime();
    Exchange.Result r = x.exchange.finish();
    x.busyNanos += rt.clock().nanoTime() - t0;
    long end = rt.clock().currentTimeMillis();
    local.log().completed(x.partition, x.peer, start, end);
    counters.exchanged(r, purger.purge(x.partition, end));
    if (r.keys() > 0) {
      LOG.info("event=anti_entropy_repaired node={} peer={} partition={} segments={} keys={}"
          + " bytes_sent={} bytes_received={}", local.self().id(), x.peer.id(), x.partition,
          r.segments(), r.keys(), r.bytesSent(), r.bytesReceived());
    }
    progress.exchanged(x.partition, x.peer, r, null, TimeUnit.NANOSECONDS.toMillis(x.busyNanos));
  }

  private boolean failed(Running x, RuntimeException e, Progress progress) {
    counters.failed(1);
    LOG.warn("event=anti_entropy_exchange_failed node={} peer={} partition={} error=\"{}\"",
        local.self().id(), x.peer.id(), x.partition, e.toString());
    progress.exchanged(x.partition, x.peer, null, e.getMessage(),
        TimeUnit.NANOSECONDS.toMillis(x.busyNanos));
    return false;
  }

  /** The pause between a round's two comparisons, so writes in flight are not "repaired". */
  private void pause() {
    try {
      Thread.sleep(cfg.comparePause().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("anti-entropy interrupted (shutting down)", e);
    }
  }

  private Exchange.Waits waits() {
    return (keys, bytes) -> {
      keyBudget.acquire(keys);
      byteBudget.acquire(bytes);
    };
  }

  /** Every co-replica of a partition this node replicates. */
  private Set<NodeId> peers() {
    Set<NodeId> out = new TreeSet<>();
    for (int p : replicated()) {
      out.addAll(local.purge().coReplicas(p));
    }
    return out;
  }

  /** Nodes that lost hints this node held for them: ask each (when up) to repair itself. */
  private void askHintLossTargets() {
    for (NodeId target : cluster.hintLosses().needsRepair()) {
      if (!cluster.liveness().isUp(target)) {
        continue;
      }
      try {
        cluster.peers().requestRepair(target, "hints for it expired or were lost on "
            + local.self().id());
        cluster.hintLosses().repaired(target);
      } catch (RuntimeException e) {
        LOG.warn("event=repair_request_failed node={} target={} error=\"{}\"", local.self().id(),
            target.id(), e.toString());
      }
    }
  }

  private void rebuildUnbuilt() {
    long t0 = rt.clock().nanoTime();
    long keys = 0;
    int trees = 0;
    for (int p : replicated()) {
      if (!local.trees().tree(p).built()) {
        keys += rebuild(p);
        trees++;
      }
    }
    if (trees > 0) {
      LOG.info("event=trees_rebuilt node={} trees={} keys={} ms={}", local.self().id(), trees,
          keys, millisSince(t0));
    }
  }

  private void rebuildOldest() {
    int oldest = -1;
    long at = Long.MAX_VALUE;
    for (int p : replicated()) {
      long t = lastRebuilt.getOrDefault(p, Long.MIN_VALUE);
      if (t < at) {
        oldest = p;
        at = t;
      }
    }
    if (oldest >= 0) {
      rebuild(oldest);
    }
  }

  /** Rebuilds one tree; returns the keys scanned (0 on failure, which is logged). */
  private long rebuild(int p) {
    long t0 = rt.clock().nanoTime();
    try {
      boolean wasBuilt = local.trees().tree(p).built();
      Trees.Rebuilt r = local.trees().rebuild(p, local.store(), rebuildBudget::acquire);
      lastRebuilt.put(p, rt.clock().millis());
      counters.rebuilt();
      if (wasBuilt && r.changedSegments() > 0) {
        LOG.warn("event=tree_rebuild_changed node={} partition={} keys={} segments={} msg=\"the"
            + " tree differed from storage (silent divergence, e.g. a lost table); exchanges"
            + " repair it\"", local.self().id(), p, r.keys(), r.changedSegments());
      }
      LOG.debug("event=tree_rebuilt node={} partition={} keys={} ms={}", local.self().id(), p,
          r.keys(), millisSince(t0));
      return r.keys();
    } catch (RuntimeException e) {
      LOG.warn("event=tree_rebuild_failed node={} partition={} error=\"{}\"", local.self().id(),
          p, e.toString());
      return 0;
    }
  }

  private long jitter(long bound) {
    return bound <= 0 ? 0 : rt.random().nextLong(bound);
  }

  private long millisSince(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(rt.clock().nanoTime() - t0);
  }
}
