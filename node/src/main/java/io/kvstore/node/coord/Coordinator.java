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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The request path of DESIGN.md section 4 (Dynamo 4.5): a write is coordinated by a replica of
 * the key, which applies it locally as a new dot of its actor, replicates the resulting sibling
 * set to the other replicas in parallel, and acknowledges after W durable acks; a node that is
 * not a replica forwards the write to one that is. A read asks the replicas, answers after R
 * replies with their DVV merge, and then repairs, off the client's path, every replica that
 * answered with an older or concurrent state (read repair, {@link ReadRepair}).
 *
 * <p>Routing around failures: replicas the failure detector ({@link Liveness}) sees as down are
 * not asked; a request that cannot reach its quorum among the up replicas fails at once with
 * UNAVAILABLE naming the down ones (before anything is written). A replica that is up but does
 * not answer within the per-replica timeout ({@link ReplicaTimeout}) counts as failed for
 * deciding whether the quorum is still possible, so the request fails early instead of waiting
 * for its deadline; a request whose deadline passes fails with DEADLINE_EXCEEDED.
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

  /**
   * Coordinates a write. {@code forwarded} is true when another node forwarded it here: then this
   * node must be a replica (FAILED_PRECONDITION otherwise), so forwarding can never loop.
   */
  public CompletableFuture<WriteResult> write(
      WriteRequest req, Deadline deadline, boolean forwarded) {
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(NodeError.deadline("deadline exceeded before the "
          + "write was started"));
    }
    List<NodeId> replicas = replicas(req.key());
    if (!replicas.contains(self)) {
      if (forwarded) {
        return CompletableFuture.failedFuture(NodeError.failedPrecondition(
            "node " + self.id() + " is not a replica of this key (replicas: "
                + ids(replicas) + ")"));
      }
      return forward(replicas, up(replicas), 0, req, deadline, null);
    }
    int needed = Math.max(req.w(), req.pw());
    List<NodeId> down = down(replicas);
    if (replicas.size() - down.size() < needed) {
      return CompletableFuture.failedFuture(tooFewUp("write", replicas, down, needed));
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
    Quorum<SiblingSet, WriteResult> q = new Quorum<>(replicas, Set.copyOf(replicas), req.w(),
        req.pw(), "acknowledged the write",
        quorum -> new WriteResult(context, quorum.successCount()));
    skipDown(q, down);
    for (NodeId target : replicas) {
      if (!target.equals(self) && !down.contains(target)) {
        timed(q, target, remote.write(target, req.key(), state, deadline));
      }
    }
    // The local fsync overlaps with replication; the local copy counts once it is durable.
    rt.syncExecutor().execute(() -> {
      try {
        local.sync();
        q.success(self, state);
      } catch (RuntimeException e) {
        q.failure(self, e);
      }
    });
    watch(q, replicas, deadline);
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

  /** Reads {@code key} from its up replicas, answering after {@code r} replies ({@code pr} primary). */
  public CompletableFuture<ReadResult> read(byte[] key, int r, int pr, Deadline deadline) {
    if (deadline.isExpired()) {
      return CompletableFuture.failedFuture(NodeError.deadline("deadline exceeded before the "
          + "read was started"));
    }
    List<NodeId> replicas = replicas(key);
    int needed = Math.max(r, pr);
    List<NodeId> down = down(replicas);
    if (replicas.size() - down.size() < needed) {
      return CompletableFuture.failedFuture(tooFewUp("read", replicas, down, needed));
    }
    Quorum<SiblingSet, ReadResult> q = new Quorum<>(replicas, Set.copyOf(replicas), r, pr,
        "answered the read",
        quorum -> new ReadResult(ReadRepair.merge(quorum.successes()), quorum.successCount()));
    skipDown(q, down);
    for (NodeId target : replicas) {
      if (down.contains(target)) {
        continue;
      }
      if (target.equals(self)) {
        readLocal(key).whenComplete((s, e) -> record(q, target, s, e));
      } else {
        timed(q, target, remote.read(target, key, deadline).thenApply(
            s -> s.orElse(SiblingSet.EMPTY)));
      }
    }
    watch(q, replicas, deadline);
    q.allDone.thenAcceptAsync(replies -> repair.repair(key, replies), rt.repairExecutor());
    return q.result;
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
    long start = rt.clock().nanoTime();
    reply.whenComplete((s, e) -> {
      if (e == null) {
        replicaTimeout.record(rt.clock().nanoTime() - start);
      }
      record(q, target, s, e);
    });
  }

  private static void record(Quorum<SiblingSet, ?> q, NodeId target, SiblingSet s, Throwable e) {
    if (e == null) {
      q.success(target, s);
    } else {
      q.failure(target, e);
    }
  }

  /** Arms the per-replica timeout (remote replicas only) and the deadline. */
  private void watch(Quorum<?, ?> q, List<NodeId> replicas, Deadline deadline) {
    long remaining = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    long soft = replicaTimeout.nanos();
    List<NodeId> remotes = replicas.stream().filter(t -> !t.equals(self)).toList();
    List<Scheduler.Cancellable> timers = new ArrayList<>(2);
    if (soft < remaining) {
      String reason = "no answer within " + TimeUnit.NANOSECONDS.toMillis(soft) + " ms";
      timers.add(rt.scheduler().schedule(() -> q.slow(remotes, reason), soft,
          TimeUnit.NANOSECONDS));
    }
    timers.add(rt.scheduler().schedule(q::expire, remaining, TimeUnit.NANOSECONDS));
    q.allDone.whenComplete((x, e) -> timers.forEach(Scheduler.Cancellable::cancel));
  }

  private void skipDown(Quorum<?, ?> q, List<NodeId> down) {
    for (NodeId d : down) {
      q.failure(d, "down per the failure detector");
    }
  }

  private List<NodeId> down(List<NodeId> replicas) {
    return replicas.stream().filter(t -> !t.equals(self) && !liveness.isUp(t)).toList();
  }

  private List<NodeId> up(List<NodeId> replicas) {
    return replicas.stream().filter(t -> t.equals(self) || liveness.isUp(t)).toList();
  }

  private static NodeError tooFewUp(String op, List<NodeId> replicas, List<NodeId> down,
      int needed) {
    return NodeError.unavailableNothingDone("quorum not reachable: "
        + (replicas.size() - down.size())
        + " of " + replicas.size() + " replicas are up, " + needed + " required for the " + op
        + "; down per the failure detector: " + ids(down) + " (nothing was "
        + (op.equals("read") ? "read" : "written") + ")");
  }

  static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  static List<String> ids(List<NodeId> nodes) {
    return nodes.stream().map(NodeId::id).toList();
  }
}
