package io.kvstore.gossip;

import io.kvstore.gossip.GossipMessage.Ping;
import io.kvstore.gossip.GossipMessage.PingAck;
import io.kvstore.gossip.GossipMessage.Syn;
import io.kvstore.gossip.GossipMessage.SynAck;
import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Restarted;
import io.kvstore.gossip.LivenessEvent.Up;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One node's membership and failure detection as a deterministic state machine (DESIGN.md
 * section 5): {@link #tick} and {@link #onRequest} / {@link #onResponse} in, requests to send and
 * liveness events out. No threads, no I/O, no clock: time comes in as {@code nowMillis} from the
 * caller's monotonic clock; randomness from the generator it is given.
 *
 * <p>Every tick pings every known peer; a peer is judged only by acks to this node's own pings
 * (a round trip), never by heartbeat versions relayed through gossip. Every tick also pushes and
 * pulls the full view with one random live peer, sometimes with a down peer or a seed.
 *
 * <p>Not thread-safe: the caller drives it from one thread. Invariants: the view always holds
 * this node's own entry, which only this class changes (incoming entries for this node are
 * ignored); every other node in the view has a tracker; nothing leaves the view; the alive set
 * changes only with an emitted {@link Up} or {@link Down}.
 */
public final class GossipCore {
  private final String selfId;
  private final GossipConfig config;
  private final RandomGenerator random;
  private final List<String> seeds;
  private final SortedMap<String, PeerTracker> peers = new TreeMap<>();
  private EndpointState self;
  private MembershipView view;
  private boolean stepped;
  private long lastStepMillis;
  private long quietUntilMillis = Long.MIN_VALUE;
  /** Pings remembered for their send time; older answers are sampled at arrival. */
  private static final int PING_MEMORY = 10_000;
  private long nextSeq = 1;
  /**
   * When each recent ping was sent, by seq: an answered ping is sampled at its send time, so the
   * samples measure this node's own (regular) ping schedule and not the jitter of round trips,
   * and the elapsed time phi judges is the time since the last ping that got an answer.
   */
  private final NavigableMap<Long, Long> pingSentAt = new TreeMap<>();
  private long convictions;
  private long pingsSent;
  private long acksReceived;
  private long synsSent;
  private long synsReceived;

  /**
   * @param self this node's entry at start: a generation the caller persisted and bumped
   * @param seedAddresses "host:port" of seed nodes; this node's own address is skipped
   */
  public GossipCore(
      EndpointState self,
      Collection<String> seedAddresses,
      GossipConfig config,
      RandomGenerator random) {
    this.self = Objects.requireNonNull(self, "self");
    this.selfId = self.nodeId();
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
    this.seeds = SynTargets.normalizeSeeds(seedAddresses, self.address());
    this.view = MembershipView.of(self);
  }

  /**
   * One round of the local loop, due every {@code tickMillis}: bump the own heartbeat, ping
   * every known peer, start this tick's gossip exchanges, and convict peers whose phi is above
   * the threshold, unless this node itself stalled recently (the pause guard).
   */
  public Effects tick(long nowMillis) {
    applyPauseGuard(nowMillis);
    self = self.withNextHeartbeat();
    view = view.with(self);
    List<Outbound> out = new ArrayList<>();
    pingSentAt.headMap(nextSeq - PING_MEMORY, true).clear();
    for (String id : peers.keySet()) {
      Ping ping = new Ping(selfId, self.generation(), nextSeq++);
      pingSentAt.put(ping.seq(), nowMillis);
      out.add(new Outbound(id, view.get(id).address(), ping));
      pingsSent++;
    }
    out.addAll(syns());
    return new Effects(out, convict(nowMillis));
  }

  /**
   * Evaluates the detectors between ticks, so a silent peer is convicted soon after its phi
   * crosses the threshold rather than at the next tick (with 1 s ticks, up to a second later).
   * Sends nothing; subject to the pause guard like {@link #tick}, whose stall check it shares.
   */
  public Effects check(long nowMillis) {
    applyPauseGuard(nowMillis);
    return new Effects(List.of(), convict(nowMillis));
  }

  private List<LivenessEvent> convict(long nowMillis) {
    List<LivenessEvent> events = new ArrayList<>();
    if (inPauseQuiet(nowMillis)) {
      return events;
    }
    for (Map.Entry<String, PeerTracker> e : peers.entrySet()) {
      PeerTracker t = e.getValue();
      double phi = t.phi(nowMillis);
      if (t.alive() && phi > config.phiThreshold()) {
        t.convict();
        convictions++;
        events.add(new Down(e.getKey(), phi));
      }
    }
    return events;
  }

  /** Answers a request: a {@link Ping} with a {@link PingAck}, a {@link Syn} with a SynAck. */
  public Reply onRequest(long nowMillis, GossipMessage request) {
    List<LivenessEvent> events = new ArrayList<>();
    GossipMessage response = switch (request) {
      case Ping p -> {
        noteGeneration(p.fromId(), p.fromGeneration(), nowMillis, events);
        yield new PingAck(selfId, self.generation(), p.seq());
      }
      case Syn s -> {
        synsReceived++;
        mergeIn(s.view(), nowMillis, events);
        yield new SynAck(view);
      }
      case PingAck a -> throw new IllegalArgumentException("a response, not a request: " + a);
      case SynAck a -> throw new IllegalArgumentException("a response, not a request: " + a);
    };
    return new Reply(response, events);
  }

  /**
   * Takes the response to one of this node's requests.
   *
   * @param fromAddress the address the request went to; informational only, since a response
   *     names its sender and a peer is keyed by id
   */
  public Effects onResponse(long nowMillis, String fromAddress, GossipMessage response) {
    Objects.requireNonNull(fromAddress, "fromAddress");
    List<LivenessEvent> events = new ArrayList<>();
    switch (response) {
      case PingAck a -> onAck(a, nowMillis, events);
      case SynAck s -> mergeIn(s.view(), nowMillis, events);
      case Ping p -> throw new IllegalArgumentException("a request, not a response: " + p);
      case Syn s -> throw new IllegalArgumentException("a request, not a response: " + s);
    }
    return new Effects(List.of(), events);
  }

  /**
   * Marks this node SHUTDOWN and returns a {@link Syn} for every live peer, so each marks it
   * down at once. The caller sends them (and may wait for the answers) before stopping.
   */
  public List<Outbound> announceShutdown() {
    self = self.withStatus(MemberStatus.SHUTDOWN).withNextHeartbeat();
    view = view.with(self);
    Syn syn = new Syn(view);
    List<Outbound> out = new ArrayList<>();
    for (Map.Entry<String, PeerTracker> e : peers.entrySet()) {
      if (e.getValue().alive()) {
        out.add(new Outbound(e.getKey(), view.get(e.getKey()).address(), syn));
        synsSent++;
      }
    }
    return out;
  }

  /** Publishes a new ring epoch held by this node; gossip spreads it. */
  public void updateRingEpoch(long ringEpoch) {
    self = self.withRingEpoch(ringEpoch).withNextHeartbeat();
    view = view.with(self);
  }

  /** Whether this node considers {@code nodeId} alive: always for itself, never if unknown. */
  public boolean isAlive(String nodeId) {
    if (nodeId.equals(selfId)) {
      return true;
    }
    PeerTracker t = peers.get(nodeId);
    return t != null && t.alive();
  }

  /** Whether convictions are suspended because this node stalled shortly before. */
  public boolean inPauseQuiet(long nowMillis) {
    return nowMillis < quietUntilMillis;
  }

  public MembershipView view() {
    return view;
  }

  public EndpointState self() {
    return self;
  }

  /** Every peer's entry, verdict and detector reading, in node-id order. */
  public List<PeerState> snapshot(long nowMillis) {
    List<PeerState> out = new ArrayList<>();
    for (Map.Entry<String, PeerTracker> e : peers.entrySet()) {
      EndpointState s = view.get(e.getKey());
      PeerTracker t = e.getValue();
      out.add(new PeerState(s.nodeId(), s.address(), s.generation(), s.heartbeatVersion(),
          s.status(), s.ringEpoch(), t.alive(), t.phi(nowMillis), t.lastAckAge(nowMillis),
          t.convictions()));
    }
    return out;
  }

  public GossipCounters counters() {
    return new GossipCounters(convictions, pingsSent, acksReceived, synsSent, synsReceived);
  }

  private void applyPauseGuard(long nowMillis) {
    if (stepped && nowMillis - lastStepMillis > config.pauseGuardMillis()) {
      quietUntilMillis = nowMillis + config.pauseQuietMillis();
    }
    stepped = true;
    lastStepMillis = nowMillis;
  }

  private List<Outbound> syns() {
    List<EndpointState> live = new ArrayList<>();
    List<EndpointState> down = new ArrayList<>();
    Map<String, String> idsByAddress = new HashMap<>();
    for (Map.Entry<String, PeerTracker> e : peers.entrySet()) {
      EndpointState s = view.get(e.getKey());
      idsByAddress.put(s.address(), s.nodeId());
      (e.getValue().alive() ? live : down).add(s);
    }
    Syn syn = new Syn(view);
    List<Outbound> out = new ArrayList<>();
    SynTargets.choose(live, down, seeds, idsByAddress, config, random)
        .forEach((address, id) -> out.add(new Outbound(id, address, syn)));
    synsSent += out.size();
    return out;
  }

  private void onAck(PingAck ack, long nowMillis, List<LivenessEvent> events) {
    acksReceived++;
    PeerTracker t = peers.get(ack.fromId());
    if (t == null || ack.fromGeneration() < t.generation()) {
      return; // a node we do not know yet, or an answer from an earlier incarnation
    }
    noteGeneration(ack.fromId(), ack.fromGeneration(), nowMillis, events);
    long sentAt = Math.min(nowMillis, pingSentAt.getOrDefault(ack.seq(), nowMillis));
    if (t.onAck(ack.seq(), sentAt, nowMillis, config.phiThreshold())) {
      events.add(new Up(ack.fromId()));
    }
  }

  private void noteGeneration(String id, long generation, long nowMillis,
      List<LivenessEvent> events) {
    PeerTracker t = peers.get(id);
    if (t != null && t.observeGeneration(generation, nowMillis)) {
      events.add(new Restarted(id, generation));
    }
  }

  private void mergeIn(MembershipView incoming, long nowMillis, List<LivenessEvent> events) {
    List<EndpointState> newer = new ArrayList<>();
    for (EndpointState e : view.newerEntries(incoming)) {
      if (e.nodeId().equals(selfId)) {
        continue;
      }
      newer.add(e);
      PeerTracker t = peers.get(e.nodeId());
      if (t == null) {
        t = new PeerTracker(e.generation(), config, nowMillis);
        peers.put(e.nodeId(), t);
        if (e.status() == MemberStatus.SHUTDOWN) {
          t.markShutdown(); // never alive here, so no event
        } else {
          events.add(new Up(e.nodeId()));
        }
        continue;
      }
      noteGeneration(e.nodeId(), e.generation(), nowMillis, events);
      if (e.status() == MemberStatus.SHUTDOWN && e.generation() >= t.generation()
          && t.markShutdown()) {
        events.add(new Down(e.nodeId(), t.phi(nowMillis)));
      }
    }
    view = view.merge(MembershipView.of(newer));
  }
}
