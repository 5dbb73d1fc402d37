package io.kvstore.node.gossip;

import io.kvstore.gossip.Effects;
import io.kvstore.gossip.GossipConfig;
import io.kvstore.gossip.GossipCore;
import io.kvstore.gossip.GossipCounters;
import io.kvstore.gossip.GossipMessage;
import io.kvstore.gossip.LivenessEvent;
import io.kvstore.gossip.Outbound;
import io.kvstore.gossip.PeerState;
import io.kvstore.gossip.Reply;
import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import io.kvstore.ring.NodeId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the deterministic {@link GossipCore} for a node: ticks it every interval, carries its
 * requests over a {@link GossipTransport}, feeds responses and inbound requests back to it, and
 * publishes its verdicts as {@link Liveness} for the coordinator. Every access to the core
 * happens on one executor (the "loop"), so the core needs no locking; the verdicts and the peer
 * snapshot are published as immutable values in volatile fields, so readers never wait.
 *
 * <p>Thread safe. Events are logged ({@code event=peer_down|peer_up|peer_restarted}).
 */
public final class GossipDriver implements Liveness, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipDriver.class);
  private final String self;
  private final GossipCore core;
  private final GossipTransport transport;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor loop;
  private final long tickMillis;
  private final double phiThreshold;
  private volatile Set<String> down = Set.of();
  private volatile List<PeerState> peers = List.of();
  private volatile GossipCounters counters;
  private volatile Scheduler.Cancellable ticking;
  private volatile Scheduler.Cancellable checking;
  private final Map<String, Long> lastAckMillis = new HashMap<>(); // on the loop only
  private final Map<String, Long> ackedAt = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile BiConsumer<String, Long> heartbeatGaps = (peer, millis) -> {};
  private final List<Consumer<NodeId>> upListeners = new CopyOnWriteArrayList<>();

  /**
   * @param scheduler schedules ticks; its tasks must run on {@code loop}
   * @param loop a single-threaded executor: the core is used on it only
   */
  public GossipDriver(String self, GossipCore core, GossipTransport transport, Clock clock,
      Scheduler scheduler, Executor loop, GossipConfig config) {
    this.self = self;
    this.core = core;
    this.transport = transport;
    this.clock = clock;
    this.scheduler = scheduler;
    this.loop = loop;
    this.tickMillis = config.tickMillis();
    this.phiThreshold = config.phiThreshold();
    this.counters = core.counters();
  }

  /** Receives the gap between consecutive heartbeat answers of each peer (for metrics). */
  public void onHeartbeatGap(BiConsumer<String, Long> listener) {
    this.heartbeatGaps = listener;
  }

  /**
   * Calls {@code listener} (on the gossip loop: it must not block) whenever a peer comes up
   * again or is seen to have restarted: the moment to hand off what was kept for it.
   */
  public void onUp(Consumer<NodeId> listener) {
    upListeners.add(listener);
  }

  /**
   * Starts ticking (the first tick at once), and checking the detectors ten times per tick, so
   * a silent peer is convicted within a tenth of a tick of its phi crossing the threshold.
   */
  public void start() {
    loop.execute(this::tick);
    ticking = scheduler.scheduleWithFixedDelay(this::tick, tickMillis, TimeUnit.MILLISECONDS);
    checking = scheduler.scheduleWithFixedDelay(() -> step(() -> core.check(clock.millis())),
        Math.max(1, tickMillis / 10), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean isUp(NodeId node) {
    return !down.contains(node.id());
  }

  /**
   * Up, and its last heartbeat answer is at most 1.5 gossip intervals old (or none was expected
   * yet): a node that stopped answering is routed around before the detector convicts it.
   */
  @Override
  public boolean answering(NodeId node) {
    Long at = ackedAt.get(node.id());
    return isUp(node) && (at == null || clock.millis() - at <= tickMillis * 3 / 2);
  }

  /** Every peer as this node sees it, as of the last step. */
  public List<PeerState> peers() {
    return peers;
  }

  public GossipCounters counters() {
    return counters;
  }

  /** Answers an inbound Ping or Syn (on the loop). */
  public CompletableFuture<GossipMessage> onRequest(GossipMessage request) {
    return CompletableFuture.supplyAsync(() -> {
      Reply reply = core.onRequest(clock.millis(), request);
      publish(); // before the events, so their listeners see the new verdicts
      handle(reply.events());
      return reply.response();
    }, loop);
  }

  private void tick() {
    step(() -> core.tick(clock.millis()));
  }

  private void step(Supplier<Effects> step) {
    try {
      apply(step.get());
    } catch (RuntimeException e) {
      LOG.error("event=gossip_step_failed node={} error=\"{}\"", self, e.toString(), e);
    }
  }

  private void apply(Effects effects) {
    publish(); // before the events, so their listeners see the new verdicts
    handle(effects.events());
    effects.outbound().forEach(this::send);
  }

  private void send(Outbound out) {
    transport.send(out.targetAddress(), out.message(), tickMillis).whenComplete((resp, e) -> {
      if (e == null) {
        loop.execute(() -> {
          long now = clock.millis();
          if (resp instanceof GossipMessage.PingAck ack) {
            ackedAt.put(ack.fromId(), now);
            Long last = lastAckMillis.put(ack.fromId(), now);
            if (last != null) {
              heartbeatGaps.accept(ack.fromId(), now - last);
            }
          }
          apply(core.onResponse(now, out.targetAddress(), resp));
        });
      }
      // A lost request or response is what the detector measures: nothing else to do.
    });
  }

  private void handle(List<LivenessEvent> events) {
    for (LivenessEvent ev : events) {
      switch (ev) {
        case LivenessEvent.Down d -> LOG.warn("event=peer_down node={} peer={} reason={} phi={}",
            self, d.nodeId(), d.phi() > phiThreshold ? "convicted" : "announced_shutdown",
            String.format(Locale.ROOT, "%.1f", d.phi()));
        case LivenessEvent.Up u -> {
          LOG.info("event=peer_up node={} peer={}", self, u.nodeId());
          notifyUp(u.nodeId());
        }
        case LivenessEvent.Restarted r -> {
          LOG.info("event=peer_restarted node={} peer={} generation={}", self, r.nodeId(),
              r.generation());
          notifyUp(r.nodeId());
        }
      }
    }
  }

  private void notifyUp(String peer) {
    NodeId id = new NodeId(peer);
    for (Consumer<NodeId> l : upListeners) {
      try {
        l.accept(id);
      } catch (RuntimeException e) {
        LOG.error("event=up_listener_failed node={} peer={} error=\"{}\"", self, peer,
            e.toString(), e);
      }
    }
  }

  private void publish() {
    long now = clock.millis();
    List<PeerState> snapshot = core.snapshot(now);
    peers = snapshot;
    down = snapshot.stream().filter(p -> !p.alive()).map(PeerState::nodeId)
        .collect(Collectors.toUnmodifiableSet());
    counters = core.counters();
  }

  /**
   * Stops ticking and tells the live peers this node is shutting down, so they route around it at
   * once instead of waiting for their detectors; waits up to a second for the answers.
   */
  @Override
  public void close() {
    for (Scheduler.Cancellable t : new Scheduler.Cancellable[] {ticking, checking}) {
      if (t != null) {
        t.cancel();
      }
    }
    CompletableFuture<List<Outbound>> announce =
        CompletableFuture.supplyAsync(core::announceShutdown, loop);
    try {
      List<Outbound> outs = announce.get(1, TimeUnit.SECONDS);
      CountDownLatch answered = new CountDownLatch(outs.size());
      for (Outbound o : outs) {
        transport.send(o.targetAddress(), o.message(), 500)
            .whenComplete((r, e) -> answered.countDown());
      }
      answered.await(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("event=shutdown_announce_failed node={} error=\"{}\"", self, e.toString());
    }
  }
}
