package io.kvstore.node.coord;

import io.grpc.Deadline;
import io.kvstore.node.NodeError;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path of DESIGN.md section 4 (Dynamo 4.5): a write is coordinated by a replica of
 * the key, which applies it locally as a new dot of its actor, replicates the resulting sibling
 * set to the other N-1 replicas in parallel, and acknowledges after W durable acks; a node that is
 * not a replica forwards the write to one that is. A read asks all N replicas, answers after R
 * replies with their DVV merge, and then repairs, off the client's path, every replica that
 * answered with an older or concurrent state (read repair).
 *
 * <p>Thread safe; all waiting is asynchronous. The transport is {@link ReplicaClient}, so the
 * protocol can be tested over a simulated network as well as over gRPC.
 */
public final class Coordinator {
  private static final Logger LOG = LoggerFactory.getLogger(Coordinator.class);
  private final NodeId self;
  private final Actor actor;
  private final Supplier<Ring> ring;
  private final int n;
  private final ReplicaStore local;
  private final ReplicaClient remote;
  private final Executor syncExecutor;
  private final Executor repairExecutor;
  private final ScheduledExecutorService timer;
  private final int warnSiblings;
  private final int maxSiblings;
  private final long repairTimeoutMillis;
  private final CoordinatorListener listener;

  public Coordinator(
      NodeId self,
      Actor actor,
      Supplier<Ring> ring,
      int n,
      ReplicaStore local,
      ReplicaClient remote,
      Executor syncExecutor,
      Executor repairExecutor,
      ScheduledExecutorService timer,
      int warnSiblings,
      int maxSiblings,
      long repairTimeoutMillis,
      CoordinatorListener listener) {
    this.self = self;
    this.actor = actor;
    this.ring = ring;
    this.n = n;
    this.local = local;
    this.remote = remote;
    this.syncExecutor = syncExecutor;
    this.repairExecutor = repairExecutor;
    this.timer = timer;
    this.warnSiblings = warnSiblings;
    this.maxSiblings = maxSiblings;
    this.repairTimeoutMillis = repairTimeoutMillis;
    this.listener = listener;
  }

  public NodeId self() {
    return self;
  }

  /** The N replicas of {@code key}, in preference order. */
  public List<NodeId> replicas(byte[] key) {
    return ring.get().preferenceList(key, n);
  }

  /**
   * Coordinates a write. {@code forwarded} is true when another node forwarded it here: then this
   * node must be a replica (FAILED_PRECONDITION otherwise), so forwarding can never loop.
   */
  public CompletableFuture<WriteResult> write(
      WriteRequest req, Deadline deadline, boolean forwarded) {
    List<NodeId> replicas = replicas(req.key());
    if (!replicas.contains(self)) {
      if (forwarded) {
        return CompletableFuture.failedFuture(NodeError.failedPrecondition(
            "node " + self.id() + " is not a replica of this key (replicas: "
                + ids(replicas) + ")"));
      }
      return forward(replicas, 0, req, deadline, null);
    }
    SiblingSet state;
    try {
      state = local.coordinate(req.key(), req.value(), req.context(), actor, maxSiblings);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (state.siblings().size() >= warnSiblings) {
      listener.manySiblings(state.siblings().size());
    }
    byte[] context = state.siblings().size() == 1 ? CausalContext.of(state.context()).encode()
        : new byte[0];
    int needed = Math.max(req.w(), req.pw());
    Quorum<SiblingSet, WriteResult> q =
        new Quorum<>(replicas.size(), needed, "acknowledged the write",
            quorum -> new WriteResult(context, quorum.successCount()));
    for (NodeId target : replicas) {
      if (!target.equals(self)) {
        remote.write(target, req.key(), state, deadline).whenComplete((r, e) -> {
          if (e == null) {
            q.success(target, r);
          } else {
            q.failure(target, e);
          }
        });
      }
    }
    // The local fsync overlaps with replication; the local copy counts once it is durable.
    syncExecutor.execute(() -> {
      try {
        local.sync();
        q.success(self, state);
      } catch (RuntimeException e) {
        q.failure(self, e);
      }
    });
    expireAt(deadline, q);
    return q.result;
  }

  private CompletableFuture<WriteResult> forward(
      List<NodeId> replicas, int i, WriteRequest req, Deadline deadline, NodeError last) {
    if (i >= replicas.size()) {
      return CompletableFuture.failedFuture(NodeError.unavailable(
          "no replica of this key could be reached to coordinate the write (replicas: "
              + ids(replicas) + "; last error: " + (last == null ? "none" : last.getMessage())
              + ")"));
    }
    return remote.forward(replicas.get(i), req, deadline)
        .handle((r, e) -> {
          if (e == null) {
            return CompletableFuture.completedFuture(r);
          }
          Throwable cause = unwrap(e);
          if (cause instanceof NodeError ne && ne.unreachable() && !deadline.isExpired()) {
            // The request never reached that replica: trying the next one cannot duplicate it.
            return forward(replicas, i + 1, req, deadline, ne);
          }
          return CompletableFuture.<WriteResult>failedFuture(cause);
        })
        .thenCompose(f -> f);
  }

  /** Reads {@code key} from its replicas, answering after {@code max(r, pr)} replies. */
  public CompletableFuture<ReadResult> read(byte[] key, int r, int pr, Deadline deadline) {
    List<NodeId> replicas = replicas(key);
    int needed = Math.max(r, pr);
    Quorum<SiblingSet, ReadResult> q =
        new Quorum<>(replicas.size(), needed, "answered the read",
            quorum -> new ReadResult(merge(quorum.successes()), quorum.successCount()));
    for (NodeId target : replicas) {
      CompletableFuture<Optional<SiblingSet>> reply =
          target.equals(self) ? readLocal(key) : remote.read(target, key, deadline);
      reply.whenComplete((s, e) -> {
        if (e == null) {
          q.success(target, s.orElse(SiblingSet.EMPTY));
        } else {
          q.failure(target, e);
        }
      });
    }
    expireAt(deadline, q);
    q.allDone.thenAcceptAsync(replies -> repair(key, replies), repairExecutor);
    return q.result;
  }

  private CompletableFuture<Optional<SiblingSet>> readLocal(byte[] key) {
    try {
      return CompletableFuture.completedFuture(local.read(key));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Brings every replica that answered with a stale or concurrent state up to the merge. */
  private void repair(byte[] key, Map<NodeId, SiblingSet> replies) {
    SiblingSet merged = merge(replies);
    if (merged.isEmpty()) {
      return;
    }
    for (Map.Entry<NodeId, SiblingSet> e : replies.entrySet()) {
      if (e.getValue().equals(merged)) {
        continue;
      }
      NodeId target = e.getKey();
      listener.readRepair(target.id());
      if (target.equals(self)) {
        try {
          local.merge(key, merged);
        } catch (RuntimeException ex) {
          LOG.warn("read repair of the local replica failed: {}", ex.toString());
        }
      } else {
        remote.write(target, key, merged,
                Deadline.after(repairTimeoutMillis, TimeUnit.MILLISECONDS))
            .whenComplete((x, ex) -> {
              if (ex != null) {
                LOG.debug("read repair of {} failed: {}", target.id(), unwrap(ex).toString());
              }
            });
      }
    }
  }

  private static SiblingSet merge(Map<NodeId, SiblingSet> replies) {
    SiblingSet merged = SiblingSet.EMPTY;
    for (SiblingSet s : replies.values()) {
      merged = SiblingSet.sync(merged, s);
    }
    return merged;
  }

  private void expireAt(Deadline deadline, Quorum<?, ?> q) {
    long nanos = Math.max(0, deadline.timeRemaining(TimeUnit.NANOSECONDS));
    var task = timer.schedule(q::expire, nanos, TimeUnit.NANOSECONDS);
    q.allDone.whenComplete((x, e) -> task.cancel(false));
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static List<String> ids(List<NodeId> nodes) {
    return nodes.stream().map(NodeId::id).toList();
  }
}
