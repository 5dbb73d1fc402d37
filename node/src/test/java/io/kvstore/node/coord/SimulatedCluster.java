package io.kvstore.node.coord;

import io.grpc.Deadline;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.node.NodeError;
import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import io.kvstore.node.time.SimulatedTime;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator protocol tests' fixture: five nodes n1..n5 with their own replica stores on a
 * {@link SimulatedNetwork}, a ring of 16 partitions (N=3), a simulated failure detector (the
 * nodes in {@link #convicted} are down) and a coordinator per node whose per-replica timeout is
 * fixed at 1 s, on the system clock, reporting to the node's {@link CountingListener} ({@link
 * #events}). Read repair and local fsyncs run on the calling thread, so a
 * read's repair is done when its last reply arrived. Close it after the test.
 */
final class SimulatedCluster implements AutoCloseable {
  final SimulatedNetwork net = new SimulatedNetwork();
  final List<NodeId> ids = new ArrayList<>();
  final Set<NodeId> convicted = ConcurrentHashMap.newKeySet();
  private final Map<NodeId, CountingListener> events = new ConcurrentHashMap<>();
  final Liveness liveness = id -> !convicted.contains(id);
  final Ring ring;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  SimulatedCluster(Path root) {
    for (int i = 1; i <= 5; i++) {
      NodeId id = NodeId.of("n" + i);
      ids.add(id);
      net.stores.put(id, new ReplicaStore(LsmStore.open(root.resolve(id.id()),
          Options.builder().syncPolicy(SyncPolicy.none()).build())));
    }
    ring = Ring.create(16, ids);
    for (NodeId id : ids) {
      net.coordinators.put(id, coordinator(id, 1000));
    }
  }

  /** A coordinator for {@code id} whose per-replica timeout is fixed at {@code replicaTimeoutMs}. */
  Coordinator coordinator(NodeId id, long replicaTimeoutMs) {
    return coordinator(id, new CoordinatorRuntime(Clock.system(), Scheduler.of(timer),
        Runnable::run, Runnable::run), replicaTimeoutMs);
  }

  /** As {@link #coordinator(NodeId, long)}, on a simulated clock. */
  Coordinator coordinator(NodeId id, SimulatedTime time, long replicaTimeoutMs) {
    return coordinator(id, new CoordinatorRuntime(time, time, Runnable::run, Runnable::run),
        replicaTimeoutMs);
  }

  private Coordinator coordinator(NodeId id, CoordinatorRuntime rt, long replicaTimeoutMs) {
    return new Coordinator(
        new CoordinatorSettings(id, new Actor(id.id(), 1), 3, 25, 100, 1000, replicaTimeoutMs,
            replicaTimeoutMs),
        rt, () -> ring, net.stores.get(id), net, liveness, events(id));
  }

  /** What the coordinators of {@code id} reported. */
  CountingListener events(NodeId id) {
    return events.computeIfAbsent(id, x -> new CountingListener());
  }

  /** The key's N primaries, in preference order. */
  List<NodeId> replicas(byte[] k) {
    return ring.preferenceList(k, 3);
  }

  /** The nodes after the key's N primaries, in preference order. */
  List<NodeId> fallbacks(byte[] k) {
    List<NodeId> all = ring.preferenceListWithFallbacks(ring.partitionOf(k));
    return all.subList(3, all.size());
  }

  /** A node that is not a replica of {@code k}. */
  NodeId outsider(byte[] k) {
    return fallbacks(k).getFirst();
  }

  /** The key's replicas, after a write of "v" that reached all three. */
  List<NodeId> writtenEverywhere(byte[] k) {
    List<NodeId> rep = replicas(k);
    net.coordinators.get(rep.get(0)).write(write(k, "v", 3), soon(), false).join();
    return rep;
  }

  /** What {@code node} holds of {@code k} in its own data (hints excluded). */
  Optional<SiblingSet> stored(NodeId node, byte[] k) {
    return net.stores.get(node).read(k);
  }

  static byte[] key(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A blind write of {@code value} with write quorum {@code w}. */
  static WriteRequest write(byte[] key, String value, int w) {
    return new WriteRequest(key, Value.of(value.getBytes(StandardCharsets.UTF_8)),
        VersionVector.EMPTY, w, 0);
  }

  static Deadline soon() {
    return Deadline.after(2, TimeUnit.SECONDS);
  }

  /** The error {@code f} failed with; an AssertionError if it succeeded. */
  static NodeError failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return (NodeError) e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  /** The live values of {@code s}, as strings, sorted. */
  static List<String> values(SiblingSet s) {
    return s.liveValues().stream().map(b -> new String(b, StandardCharsets.UTF_8)).sorted()
        .toList();
  }

  static List<String> values(Optional<SiblingSet> s) {
    return values(s.orElseThrow());
  }

  @Override
  public void close() {
    timer.shutdownNow();
    net.stores.values().forEach(ReplicaStore::close);
  }
}
