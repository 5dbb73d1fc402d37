package io.kvstore.node.coord;

import io.grpc.Deadline;
import io.kvstore.node.NodeError;
import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.time.Scheduler;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The request path of DESIGN.md section 4 (Dynamo 4.5): a write is coordinated by a replica of
 * the key, which applies it locally as a new dot of its actor, replicates the resulting sibling
 * set to the other replicas in parallel, and acknowledges after W durable acks; a node that is
 * not a replica forwards the write to one that is. A read asks R replicas, not N: one (this node
 * when it is a replica) for its state and the others for a digest of theirs, fetches the state of
 * those whose digest differs (a second round trip), answers with the DVV merge, and then repairs,
 * off the client's path, every replica that answered with an older or concurrent state (read
 * repair, {@link ReadRepair}); the replicas not asked are left to anti-entropy ({@link
 * DigestRead}, {@link ReadTargets}).
 *
 * <p>Routing around failures: replicas the failure detector ({@link Liveness}) sees as down are
 * not asked; a request that cannot reach its quorum among the up replicas and fallbacks fails at
 * once with UNAVAILABLE naming the down ones (before anything is written). A replica that is up but does
 * not answer within the per-replica timeout ({@link ReplicaTimeout}) counts as failed for
 * deciding whether the quorum is still possible, so the request fails early instead of waiting
 * for its deadline; a request whose deadline passes fails with DEADLINE_EXCEEDED.
 *
 * <p>Sloppy quorum (Dynamo 4.6): a primary that is down, fails or is slow is replaced by the next
 * up fallback of the preference list ({@link Fallbacks}; for a read, only once no up primary is
 * left unasked); a write goes to it as a hint for that primary ({@link ReplicaClient#hint}), a
 * read asks it for the hints it holds. A fallback's answer counts toward R or W only in place of
 * a lost primary ({@link Quorum}), never toward PR or PW, and the result says how many did
 * ({@code sloppyAcks}, {@code sloppyReplies}).
 *
 * <p>What happens is reported to the {@link CoordinatorListener} (the metrics): replica requests
 * sent again ({@link Retry}), forwards sent and received, hinted writes, read repairs.
 *
 * <p>Thread safe; all waiting is asynchronous. The transport is {@link ReplicaClient}, time comes
 * from {@link CoordinatorRuntime}, so the protocol runs over a simulated network and clock as well
 * as over gRPC.
 */
public final class Coordinator {
  private final CoordinatorSettings settings;
  private final CoordinatorRuntime rt;
  private final NodeId self;
  private final Supplier<Ring> ring;
  private final ReplicaStore local;
  private final ReplicaClient remote;
  private final Liveness liveness;
  private final CoordinatorListener listener;
  private final ReplicaTimeout replicaTimeout;
  private final ReadRepair repair;

  public Coordinator(CoordinatorSettings settings, CoordinatorRuntime runtime, Supplier<Ring> ring,
      ReplicaStore local, ReplicaClient remote, Liveness liveness, CoordinatorListener listener) {
    this.settings = settings;
    this.rt = runtime;
    this.self = settings.self();
    this.ring = ring;
    this.local = local;
    this.remote = remote;
    this.liveness = liveness;
    this.listener = listener;
    this.replicaTimeout = settings.newReplicaTimeout();
    this.repair = new ReadRepair(self, local, remote, runtime, settings.repairTimeoutMillis(),
        listener);
  }

  public NodeId self() {
    return self;
  }

  /** The N replicas of {@code key}, in preference order. */
  public List<NodeId> replicas(byte[] key) {
    return ring.get().preferenceList(key, settings.n());
  }

  /** Every member in {@code key}'s preference order: N primaries, then the fallbacks. */
  private List<NodeId> walk(byte[] key) {
    Ring r = ring.get();
    return r.preferenceListWithFallbacks(r.partitionOf(key));
  }

  /** The first N of a {@link #walk}. */
  private List<NodeId> primaries(List<NodeId> walk) {
    return walk.subList(0, Math.min(settings.n(), walk.size()));
  }

  /** A key's {@link #walk} split at N: primaries, then the up fallbacks in order. */
  private Targets targets(List<NodeId> walk) {
    List<NodeId> primaries = primaries(walk);
    List<NodeId> spares = new ArrayList<>(walk.size() - primaries.size());
    for (NodeId t : walk.subList(primaries.size(), walk.size())) {
      if (!t.equals(self) && liveness.isUp(t)) {
        spares.add(t);
      }
    }
    return new Targets(primaries, down(primaries), spares);
  }

  /**
   * @param down the primaries the failure detector sees down
   * @param spares the up fallbacks, in preference order
   */
  private record Targets(List<NodeId> primaries, List<NodeId> down, List<NodeId> spares) {
    /** Whether {@code needed} replies ({@code neededPrimaries} primary) are reachable at all. */
    boolean reachable(int needed, int neededPrimaries) {
      int up = primaries.size() - down.size();
      return up >= neededPrimaries && up + Math.min(down.size(), spares.size()) >= needed;
    }

    List<NodeId> up() {
      if (down.isEmpty()) {
        return primaries;
      }
      List<NodeId> up = new ArrayList<>(primaries);
      up.removeAll(down);
      return up;
    }
  }

  /**
   * Coordinates a write. {@code forwarded} is true when another node forwarded it here: then this
   * node must be a replica (FAILED_PRECONDITION otherwise), so forwarding can never loop.
   */
  public CompletableFuture<WriteResult> write(
      WriteRequest req, Deadline deadline, boolean forwarded) {
    if (forwarded) {
      listener.forwardReceived();
    }
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(NodeError.deadline("deadline exceeded before the "
          + "write was started"));
    }
    List<NodeId> walk = walk(req.key());
    List<NodeId> replicas = primaries(walk);
    if (!replicas.contains(self)) {
      if (forwarded) {
        return CompletableFuture.failedFuture(NodeError.failedPrecondition(
            "node " + self.id() + " is not a replica of this key (replicas: "
                + ids(replicas) + ")"));
      }
      return forward(replicas, answeringFirst(up(replicas)), 0, req, deadline, null);
    }
    Targets t = targets(walk);
    if (!t.reachable(req.w(), req.pw())) {
      return CompletableFuture.failedFuture(tooFewUp("write", t, req.w(), req.pw()));
    }
    SiblingSet state;
    try {
      state = local.coordinate(req.key(), req.value(), req.context(), settings.actor(),
          settings.maxSiblings());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (state.siblings().size() >= settings.warnSiblings()) {
      listener.manySiblings(state.siblings().size());
    }
    byte[] context = state.siblings().size() == 1 ? CausalContext.of(state.context()).encode()
        : new byte[0];
    Set<NodeId> primaries = Set.copyOf(t.primaries());
    Fallbacks fallbacks = new Fallbacks(self, primaries, t.spares());
    Quorum<SiblingSet, WriteResult> q = new Quorum<>(t.primaries(), primaries,
        req.w(), req.pw(), "acknowledged the write", fallbacks,
        quorum -> new WriteResult(context, quorum.successCount(), quorum.sloppyCount()));
    q.onReplace(lost -> retried(lost, Retry.WRITE_FAILED, Retry.WRITE_SLOW));
    fallbacks.onLaunch((fallback, owner) -> {
      listener.hintedWrite(owner.id());
      timed(q, fallback, remote.hint(fallback, owner, req.key(), state, deadline));
    });
    skipDown(q, t.down());
    for (NodeId target : t.up()) {
      if (!target.equals(self)) {
        timed(q, target, remote.write(target, req.key(), state, deadline));
      }
    }
    // The local fsync overlaps with replication; the local copy counts once it is durable. A
    // sync that does not block (no per-write fsync) is not worth a thread hop.
    Runnable localAck = () -> {
      try {
        local.sync();
        q.success(self, state);
      } catch (RuntimeException e) {
        q.failure(self, e);
      }
    };
    if (local.syncBlocks()) {
      rt.syncExecutor().execute(localAck);
    } else {
      localAck.run();
    }
    watch(q, deadline);
    return q.result;
  }

  /**
   * Forwards to the up replicas in order; a replica the request certainly did not reach is
   * skipped for the next. Anything else (an answer, a timeout) ends the attempt: the write may
   * have been applied, and a second coordinator would add a second version of it.
   */
  private CompletableFuture<WriteResult> forward(List<NodeId> replicas, List<NodeId> up, int i,
      WriteRequest req, Deadline deadline, NodeError last) {
    if (i >= up.size()) {
      List<NodeId> down = down(replicas);
      return CompletableFuture.failedFuture(NodeError.unavailableNothingDone(
          "no replica of this key could be reached to coordinate the write (replicas: "
              + ids(replicas) + (down.isEmpty() ? "" : "; down per the failure detector: "
              + ids(down)) + "; last error: " + (last == null ? "none" : last.getMessage())
              + ")"));
    }
    if (i > 0) {
      listener.retried(Retry.FORWARD_NOT_REACHED);
    }
    listener.forwardSent(up.get(i).id());
    return remote.forward(up.get(i), req, deadline)
        .handle((r, e) -> {
          if (e == null) {
            return CompletableFuture.completedFuture(r);
          }
          Throwable cause = unwrap(e);
          if (cause instanceof NodeError ne && ne.notApplied() && !deadline.isExpired()) {
            return forward(replicas, up, i + 1, req, deadline, ne);
          }
          return CompletableFuture.<WriteResult>failedFuture(cause);
        })
        .thenCompose(f -> f);
  }

  /**
   * Reads {@code key} from {@code max(r, pr)} of its up replicas, answering after {@code r}
   * replies ({@code pr} primary) with their merge: a digest read ({@link DigestRead}, whom it asks
   * {@link ReadTargets}). The replicas are ranked: this node first when it is a replica (a local
   * read, the full state), then those answering heartbeats, in preference order (the others are
   * asked for digests).
   */
  public CompletableFuture<ReadResult> read(byte[] key, int r, int pr, Deadline deadline) {
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(NodeError.deadline("deadline exceeded before the "
          + "read was started"));
    }
    Targets t = targets(walk(key));
    if (!t.reachable(r, pr)) {
      return CompletableFuture.failedFuture(tooFewUp("read", t, r, pr));
    }
    Set<NodeId> primaries = Set.copyOf(t.primaries());
    ReadTargets asked = new ReadTargets(ranked(t.up()), t.spares(), Math.max(r, pr));
    Quorum<SiblingSet, ReadResult> q = new Quorum<>(asked.first(), primaries, r, pr,
        "answered the read", asked,
        quorum -> new ReadResult(ReadRepair.merge(quorum.successes()), quorum.successCount(),
            quorum.sloppyCount()));
    q.onReplace(lost -> retried(lost, Retry.READ_FAILED, Retry.READ_SLOW));
    DigestRead read = new DigestRead(q, asked,
        node -> node.equals(self) ? readLocal(key) : sampled(remote.read(node, key, deadline)
            .thenApply(s -> s.orElse(SiblingSet.EMPTY))),
        node -> sampled(remote.readDigest(node, key, deadline)),
        () -> listener.retried(Retry.READ_DIGEST_MISMATCH));
    asked.onLaunch(read::ask);
    asked.first().forEach(read::ask);
    watch(q, deadline);
    // Fallbacks' answers (their hints) join the merge, but only primaries are repaired.
    q.allDone.thenAcceptAsync(replies -> repair.repair(key, replies, primaries),
        rt.repairExecutor());
    return q.result;
  }

  /** The up primaries {@code up}, best to ask first: this node, then {@link #answeringFirst}. */
  private List<NodeId> ranked(List<NodeId> up) {
    List<NodeId> out = new ArrayList<>(up.size());
    if (up.contains(self)) {
      out.add(self);
    }
    addAnsweringFirst(up, out);
    return out;
  }

  private CompletableFuture<SiblingSet> readLocal(byte[] key) {
    try {
      return CompletableFuture.completedFuture(local.read(key).orElse(SiblingSet.EMPTY));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Feeds a remote reply into the quorum, sampling its latency for the per-replica timeout. */
  private void timed(Quorum<SiblingSet, ?> q, NodeId target, CompletableFuture<SiblingSet> reply) {
    sampled(reply).whenComplete((s, e) -> record(q, target, s, e));
  }

  /** {@code reply}, whose latency (if it succeeds) is sampled for the per-replica timeout. */
  private <T> CompletableFuture<T> sampled(CompletableFuture<T> reply) {
    long start = rt.clock().nanoTime();
    return reply.whenComplete((s, e) -> {
      if (e == null) {
        replicaTimeout.record(rt.clock().nanoTime() - start);
      }
    });
  }

  private static void record(Quorum<SiblingSet, ?> q, NodeId target, SiblingSet s, Throwable e) {
    if (e == null) {
      q.success(target, s);
    } else {
      q.failure(target, e);
    }
  }

  /**
   * Arms the per-replica timeout (remote targets only: a slow one is replaced by a fallback) and
   * the deadline.
   */
  private void watch(Quorum<?, ?> q, Deadline deadline) {
    if (q.allDone.isDone()) {
      return; // every answer is in (a single local replica): nothing to time
    }
    long remaining = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    long soft = replicaTimeout.nanos();
    List<Scheduler.Cancellable> timers = new ArrayList<>(2);
    if (soft < remaining) {
      String reason = "no answer within " + TimeUnit.NANOSECONDS.toMillis(soft) + " ms";
      // Every timeout marks what is still unanswered slow, so a fallback recruited for a slow
      // replica is itself replaced if it is late too (after one to two timeouts).
      timers.add(rt.scheduler().scheduleWithFixedDelay(() -> q.slow(self, reason), soft,
          TimeUnit.NANOSECONDS));
    }
    timers.add(rt.scheduler().schedule(q::expire, remaining, TimeUnit.NANOSECONDS));
    q.allDone.whenComplete((x, e) -> timers.forEach(Scheduler.Cancellable::cancel));
  }

  private void skipDown(Quorum<?, ?> q, List<NodeId> down) {
    for (NodeId d : down) {
      q.down(d);
    }
  }

  /** Reports a replacement as a retry, unless its target was down (never asked: no retry). */
  private void retried(Quorum.Lost lost, Retry failed, Retry slow) {
    switch (lost) {
      case FAILED -> listener.retried(failed);
      case SLOW -> listener.retried(slow);
      case DOWN -> { }
    }
  }

  private List<NodeId> down(List<NodeId> replicas) {
    List<NodeId> down = List.of();
    for (NodeId t : replicas) {
      if (!t.equals(self) && !liveness.isUp(t)) {
        if (down.isEmpty()) {
          down = new ArrayList<>(2);
        }
        down.add(t);
      }
    }
    return down;
  }

  /**
   * {@code nodes} other than this one, those answering heartbeats first (order kept otherwise):
   * a forward that reaches a paused replica waits out its deadline, as it cannot be retried
   * elsewhere.
   */
  private List<NodeId> answeringFirst(List<NodeId> nodes) {
    List<NodeId> out = new ArrayList<>(nodes.size());
    addAnsweringFirst(nodes, out);
    return out;
  }

  /** Adds {@code nodes} other than this one to {@code out}, in {@link #answeringFirst} order. */
  private void addAnsweringFirst(List<NodeId> nodes, List<NodeId> out) {
    List<NodeId> silent = List.of();
    for (NodeId n : nodes) {
      if (n.equals(self)) {
        continue;
      }
      if (liveness.answering(n)) {
        out.add(n);
      } else {
        if (silent.isEmpty()) {
          silent = new ArrayList<>(2);
        }
        silent.add(n);
      }
    }
    out.addAll(silent);
  }

  private List<NodeId> up(List<NodeId> replicas) {
    return replicas.stream().filter(t -> t.equals(self) || liveness.isUp(t)).toList();
  }

  private static NodeError tooFewUp(String op, Targets t, int needed, int neededPrimaries) {
    return NodeError.unavailableNothingDone("quorum not reachable: "
        + (t.primaries().size() - t.down().size()) + " of " + t.primaries().size()
        + " replicas are up (and " + t.spares().size() + " fallback nodes), " + needed
        + " required for the " + op
        + (neededPrimaries > 0 ? ", " + neededPrimaries + " of them primary" : "")
        + "; down per the failure detector: " + ids(t.down())
        + " (nothing was " + (op.equals("read") ? "read" : "written") + ")");
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  static List<String> ids(List<NodeId> nodes) {
    return nodes.stream().map(NodeId::id).toList();
  }
}
