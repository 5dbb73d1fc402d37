package io.kvstore.gossip.sim;

import io.kvstore.gossip.EndpointState;
import io.kvstore.gossip.Effects;
import io.kvstore.gossip.GossipCore;
import io.kvstore.gossip.GossipMessage;
import io.kvstore.gossip.Outbound;
import io.kvstore.gossip.Reply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A deterministic simulated cluster of {@link GossipCore}s on a virtual clock: seeded per-message
 * loss, per-message latency drawn from a range, directional link cuts, node pause, kill, restart
 * with a bumped generation, and graceful shutdown. Each node ticks every {@code tickMillis} plus
 * a seeded jitter. Same seed and same calls, same run.
 *
 * <p>Delivery model: a request and its response each cross the network separately (each may be
 * lost, delayed or cut). A message reaching a paused or dead node is dropped, like a request
 * whose caller's deadline expires while the process is stopped; a paused node's due tick runs
 * at once when it resumes (its loop was stalled, not cancelled). A response reaching a restarted
 * node is dropped: it answers the old incarnation.
 *
 * <p>Not thread-safe; one test thread drives it.
 */
final class SimNetwork {
  private static final long STEP_MILLIS = 50;

  private final SimConfig config;
  private final SplittableRandom nodeSeeds;
  private final SplittableRandom random;
  private final SimClock clock = new SimClock();
  private final Map<String, SimNode> nodes = new LinkedHashMap<>();
  private final Map<String, SimNode> byAddress = new LinkedHashMap<>();
  private final Set<String> cuts = new HashSet<>();
  private final EventLog log = new EventLog();
  private final Map<String, List<Long>> roundTrips = new HashMap<>();
  private long sent;
  private long delivered;

  SimNetwork(SimConfig config) {
    this.config = config;
    SplittableRandom root = new SplittableRandom(config.seed());
    this.random = root.split();
    this.nodeSeeds = root.split();
  }

  SimConfig config() {
    return config;
  }

  long now() {
    return clock.now();
  }

  EventLog log() {
    return log;
  }

  SimNode node(String id) {
    return nodes.get(id);
  }

  List<SimNode> nodes() {
    return List.copyOf(nodes.values());
  }

  SplittableRandom random() {
    return random;
  }

  /** Adds a node (generation 1) that starts at {@code startAt}, knowing the given seeds. */
  SimNode add(String id, List<String> seedAddresses, long startAt) {
    SimNode n = new SimNode(id, seedAddresses);
    nodes.put(id, n);
    byAddress.put(n.address, n);
    clock.schedule(startAt, () -> start(n));
    return n;
  }

  void runFor(long millis) {
    clock.runUntil(clock.now() + millis);
  }

  /** Runs in steps of 50 ms until {@code done} holds (true) or {@code deadline} passes (false). */
  boolean runUntil(BooleanSupplier done, long deadline) {
    while (!done.getAsBoolean()) {
      if (clock.now() >= deadline) {
        return false;
      }
      clock.runUntil(Math.min(deadline, clock.now() + STEP_MILLIS));
    }
    return true;
  }

  void kill(String id) {
    SimNode n = nodes.get(id);
    n.dead = true;
    n.paused = false;
    n.incarnation++;
  }

  /** Starts a killed node again with its generation bumped, as a persisted start count would. */
  void restart(String id) {
    SimNode n = nodes.get(id);
    if (!n.dead) {
      throw new IllegalStateException(id + " is running");
    }
    start(n);
  }

  void pause(String id) {
    nodes.get(id).paused = true;
  }

  void resume(String id) {
    SimNode n = nodes.get(id);
    n.paused = false;
    if (n.tickOverdue) {
      n.tickOverdue = false;
      tick(n);
    }
  }

  /** Graceful stop: the node announces SHUTDOWN to its live peers and exits at once. */
  void shutdown(String id) {
    SimNode n = nodes.get(id);
    List<Outbound> out = n.core.announceShutdown();
    out.forEach(o -> send(n, o));
    kill(id);
  }

  /** Blocks every message from {@code from} to {@code to}; the other direction still works. */
  void cut(String from, String to) {
    cuts.add(from + ">" + to);
  }

  void heal(String from, String to) {
    cuts.remove(from + ">" + to);
  }

  /**
   * Times at which {@code observer} received an ack to one of its pings from {@code peer}: the
   * ground truth of reachability that the detector tries to judge.
   */
  List<Long> roundTrips(String observer, String peer) {
    return List.copyOf(roundTrips.getOrDefault(observer + ">" + peer, List.of()));
  }

  /** Messages handed to the network and messages that arrived at a responsive node. */
  long[] traffic() {
    return new long[] {sent, delivered};
  }

  private void start(SimNode n) {
    n.generation++;
    n.incarnation++;
    n.dead = false;
    n.paused = false;
    n.tickOverdue = false;
    n.startedAt = clock.now();
    EndpointState self = EndpointState.starting(n.id, n.address, n.generation, 0);
    n.core = new GossipCore(self, n.seeds, config.gossip(), nodeSeeds.split());
    tick(n);
  }

  private void scheduleTick(SimNode n) {
    long jitter = config.tickJitterMillis();
    long delay = config.gossip().tickMillis() + random.nextLong(-jitter, jitter + 1);
    int incarnation = n.incarnation;
    clock.schedule(clock.now() + delay, () -> {
      if (n.incarnation != incarnation || n.dead) {
        return;
      }
      if (n.paused) {
        n.tickOverdue = true;
      } else {
        tick(n);
      }
    });
  }

  private void tick(SimNode n) {
    Effects e = n.core.tick(clock.now());
    log.add(clock.now(), n.id, e.events());
    e.outbound().forEach(o -> send(n, o));
    scheduleTick(n);
  }

  private void send(SimNode from, Outbound o) {
    SimNode to = byAddress.get(o.targetAddress());
    sent++;
    if (to == null || !crosses(from, to)) {
      return;
    }
    int incarnation = from.incarnation;
    clock.schedule(clock.now() + latency(), () -> deliverRequest(from, incarnation, to, o));
  }

  private void deliverRequest(SimNode from, int fromIncarnation, SimNode to, Outbound o) {
    if (!to.responsive()) {
      return;
    }
    delivered++;
    Reply r = to.core.onRequest(clock.now(), o.message());
    log.add(clock.now(), to.id, r.events());
    sent++;
    if (!crosses(to, from)) {
      return;
    }
    GossipMessage response = r.response();
    clock.schedule(clock.now() + latency(),
        () -> deliverResponse(from, fromIncarnation, o, response));
  }

  private void deliverResponse(SimNode n, int incarnation, Outbound o, GossipMessage response) {
    if (!n.responsive() || n.incarnation != incarnation) {
      return;
    }
    delivered++;
    if (response instanceof GossipMessage.PingAck ack) {
      roundTrips.computeIfAbsent(n.id + ">" + ack.fromId(), k -> new ArrayList<>())
          .add(clock.now());
    }
    Effects e = n.core.onResponse(clock.now(), o.targetAddress(), response);
    log.add(clock.now(), n.id, e.events());
    e.outbound().forEach(out -> send(n, out));
  }

  /** Whether one message from {@code a} to {@code b} gets through (the loss draw always happens,
   * so cutting a link does not shift the random stream of the other links). */
  private boolean crosses(SimNode a, SimNode b) {
    boolean lost = random.nextDouble() < config.lossProbability();
    return !lost && !cuts.contains(a.id + ">" + b.id);
  }

  private long latency() {
    return random.nextLong(config.minLatencyMillis(), config.maxLatencyMillis() + 1);
  }
}
