package io.kvstore.node.coord;

import io.grpc.Deadline;
import io.kvstore.node.NodeError;
import io.kvstore.node.hints.HintIndex;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ReplicaClient} over an in-memory network of replica stores, for protocol tests:
 * nodes can be made unreachable (requests fail before arriving), silent (requests never answer)
 * or failing writes (reads are answered), and forwarded writes go to the target's own coordinator; it counts what each node was sent.
 * Thread safe.
 */
final class SimulatedNetwork implements ReplicaClient {
  final Map<NodeId, ReplicaStore> stores = new HashMap<>();
  final Map<NodeId, Coordinator> coordinators = new HashMap<>();
  final Set<NodeId> unreachable = ConcurrentHashMap.newKeySet();
  final Set<NodeId> silent = ConcurrentHashMap.newKeySet();
  /** Nodes that answer reads but fail every replica write (a full disk, say). */
  final Set<NodeId> failingWrites = ConcurrentHashMap.newKeySet();
  final Map<NodeId, AtomicInteger> forwardsReceived = new ConcurrentHashMap<>();
  /** Forwards sent to a node, whether or not they arrived. */
  final Map<NodeId, AtomicInteger> forwardsSent = new ConcurrentHashMap<>();
  final Map<NodeId, AtomicInteger> writesReceived = new ConcurrentHashMap<>();
  /** Full reads and digest reads sent to a node, whether or not they arrived. */
  private final Map<NodeId, AtomicInteger> fullReads = new ConcurrentHashMap<>();
  private final Map<NodeId, AtomicInteger> digestReads = new ConcurrentHashMap<>();
  /** What each node holds as a fallback: hints by owner, as the real node indexes them. */
  final Map<NodeId, HintIndex> hints = new ConcurrentHashMap<>();

  private <T> CompletableFuture<T> deliver(NodeId target, java.util.function.Supplier<T> call) {
    if (unreachable.contains(target)) {
      return CompletableFuture.failedFuture(NodeError.notReached(target.id() + ": connection refused"));
    }
    if (silent.contains(target)) {
      return new CompletableFuture<>();
    }
    try {
      return CompletableFuture.completedFuture(call.get());
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletableFuture<SiblingSet> write(NodeId target, byte[] key, SiblingSet state,
      Deadline deadline) {
    writesReceived.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
    return deliver(target, () -> {
      if (failingWrites.contains(target)) {
        throw NodeError.unavailable(target.id() + ": write failed");
      }
      return stores.get(target).merge(key, state);
    });
  }

  @Override
  public CompletableFuture<SiblingSet> hint(NodeId fallback, NodeId owner, byte[] key,
      SiblingSet state, Deadline deadline) {
    return deliver(fallback, () -> {
      HintIndex index = hints(fallback);
      index.add(owner, key, state, 0);
      return index.get(key).orElseThrow();
    });
  }

  HintIndex hints(NodeId node) {
    return hints.computeIfAbsent(node, n -> new HintIndex(Long.MAX_VALUE));
  }

  @Override
  public CompletableFuture<Optional<SiblingSet>> read(NodeId target, byte[] key, Deadline deadline) {
    count(fullReads, target);
    return deliver(target, () -> state(target, key));
  }

  @Override
  public CompletableFuture<Digest> readDigest(NodeId target, byte[] key, Deadline deadline) {
    count(digestReads, target);
    return deliver(target, () -> Digest.of(state(target, key).orElse(SiblingSet.EMPTY)));
  }

  /** What a replica answers a read with: its own state merged with the hints it holds. */
  private Optional<SiblingSet> state(NodeId target, byte[] key) {
    Optional<SiblingSet> local = stores.get(target).read(key);
    Optional<SiblingSet> hinted = hints(target).get(key);
    return hinted.isEmpty() ? local
        : Optional.of(SiblingSet.sync(local.orElse(SiblingSet.EMPTY), hinted.get()));
  }

  private static void count(Map<NodeId, AtomicInteger> counts, NodeId target) {
    counts.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
  }

  /** How many full reads and digest reads {@code node} was sent, whether or not they arrived. */
  int readsSent(NodeId node) {
    return get(fullReads, node) + get(digestReads, node);
  }

  int fullReadsSent(NodeId node) {
    return get(fullReads, node);
  }

  int digestReadsSent(NodeId node) {
    return get(digestReads, node);
  }

  private static int get(Map<NodeId, AtomicInteger> counts, NodeId node) {
    AtomicInteger n = counts.get(node);
    return n == null ? 0 : n.get();
  }

  @Override
  public CompletableFuture<WriteResult> forward(NodeId target, WriteRequest request,
      Deadline deadline) {
    forwardsSent.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
    if (unreachable.contains(target) || silent.contains(target)) {
      return deliver(target, () -> null);
    }
    forwardsReceived.computeIfAbsent(target, t -> new AtomicInteger()).incrementAndGet();
    return coordinators.get(target).write(request, deadline, true);
  }
}
