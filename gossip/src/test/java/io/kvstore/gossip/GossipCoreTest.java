package io.kvstore.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.gossip.GossipMessage.Ping;
import io.kvstore.gossip.GossipMessage.PingAck;
import io.kvstore.gossip.GossipMessage.Syn;
import io.kvstore.gossip.GossipMessage.SynAck;
import io.kvstore.gossip.LivenessEvent.Down;
import io.kvstore.gossip.LivenessEvent.Restarted;
import io.kvstore.gossip.LivenessEvent.Up;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** One core driven by hand: requests, responses, ticks and the verdicts they lead to. */
class GossipCoreTest {
  /** Defaults without the random extra exchanges, so each tick sends exactly what is asserted. */
  static final GossipConfig NO_EXTRAS =
      new GossipConfig(1000, 8.0, 1000, 100, 3000, 2000, 3000, 5000, 0.0, 0.0);

  private static final EndpointState A = EndpointState.starting("a", "h:1", 1, 0);
  private static final EndpointState B = EndpointState.starting("b", "h:2", 1, 0);
  private static final EndpointState C = EndpointState.starting("c", "h:3", 1, 0);

  private static GossipCore core(String... seeds) {
    return new GossipCore(A, List.of(seeds), NO_EXTRAS, new SplittableRandom(1));
  }

  /** Teaches {@code core} the given entries with an inbound Syn; returns its events. */
  private static List<LivenessEvent> learn(GossipCore core, long now, EndpointState... states) {
    return core.onRequest(now, new Syn(MembershipView.of(states))).events();
  }

  /** Ticks at {@code now} and answers every ping to b (the peer acks instantly). */
  private static Effects tickAndAckB(GossipCore core, long now) {
    Effects e = core.tick(now);
    for (Outbound o : e.outbound()) {
      if (o.message() instanceof Ping p && "b".equals(o.targetNodeId())) {
        core.onResponse(now, o.targetAddress(), new PingAck("b", 1, p.seq()));
      }
    }
    return e;
  }

  /** Ticks every second over [from, to], b acking every ping. */
  private static void ackEveryTick(GossipCore core, long from, long to) {
    for (long t = from; t <= to; t += 1000) {
      assertTrue(tickAndAckB(core, t).events().isEmpty(), "at " + t);
    }
  }

  @Test
  void aPingIsAnsweredWithOwnIdGenerationAndTheSeq() {
    Reply r = core().onRequest(0, new Ping("b", 1, 42));
    assertEquals(new PingAck("a", 1, 42), r.response());
    assertTrue(r.events().isEmpty());
  }

  @Test
  void aSynIsMergedAndAnsweredWithTheMergedView() {
    GossipCore core = core();
    Reply r = core.onRequest(0, new Syn(MembershipView.of(B, C)));
    assertEquals(List.of(new Up("b"), new Up("c")), r.events(), "learnt peers start alive");
    assertEquals(new SynAck(MembershipView.of(A, B, C)), r.response());
    assertTrue(core.isAlive("b") && core.isAlive("c") && core.isAlive("a"));
    assertFalse(core.isAlive("zz"));
  }

  @Test
  void aTickPingsEveryKnownPeerAndGossipsWithOneLivePeer() {
    GossipCore core = core("h:2");
    learn(core, 0, B, C);
    Effects e = core.tick(0);
    assertEquals(3, e.outbound().size(), e.outbound().toString());
    assertEquals(new Outbound("b", "h:2", new Ping("a", 1, 1)), e.outbound().get(0));
    assertEquals(new Outbound("c", "h:3", new Ping("a", 1, 2)), e.outbound().get(1));
    Outbound syn = e.outbound().get(2);
    assertTrue(List.of("b", "c").contains(syn.targetNodeId()), syn.toString());
    assertEquals(1, ((Syn) syn.message()).view().get("a").heartbeatVersion(), "own beat bumped");
    assertEquals(new GossipCounters(0, 2, 0, 1, 1), core.counters());
  }

  @Test
  void withNoPeerATickGossipsWithASeedButNeverItself() {
    GossipCore core = core("h:1", "h:7");
    Effects e = core.tick(0);
    assertEquals(List.of(new Outbound(null, "h:7", new Syn(core.view()))), e.outbound());
    assertTrue(core("h:1").tick(0).outbound().isEmpty(), "only seed is itself: nothing to do");
  }

  /** Nodes that start before their seed must not stay an island once they know each other. */
  @Test
  void aSeedNeverHeardOfIsGossipedWithEveryTick() {
    GossipCore core = core("h:7");
    learn(core, 0, B);
    for (long t = 0; t < 5000; t += 1000) {
      List<Outbound> syns = core.tick(t).outbound().stream()
          .filter(o -> o.message() instanceof Syn).toList();
      assertEquals(List.of("h:2", "h:7"), syns.stream().map(Outbound::targetAddress).toList());
    }
    learn(core, 5000, EndpointState.starting("s", "h:7", 1, 0));
    List<Outbound> syns = core.tick(5000).outbound().stream()
        .filter(o -> o.message() instanceof Syn).toList();
    assertEquals(1, syns.size(), "a known seed is a peer like any other: " + syns);
  }

  @Test
  void aSilentPeerIsConvictedOnceAndComesBackWithTheNextAck() {
    GossipCore core = core();
    learn(core, 0, B);
    ackEveryTick(core, 0, 20_000);
    long lastAck = 20_000;
    for (long t = lastAck + 500; t < lastAck + 4000; t += 500) {
      assertTrue(core.tick(t).events().isEmpty(), "still alive at +" + (t - lastAck));
    }
    List<LivenessEvent> down = core.tick(lastAck + 4600).events();
    assertEquals(1, down.size(), down.toString());
    Down d = assertInstanceOf(Down.class, down.get(0));
    assertEquals("b", d.nodeId());
    assertTrue(d.phi() > 8, "phi " + d.phi());
    assertFalse(core.isAlive("b"));
    assertTrue(core.tick(lastAck + 9000).events().isEmpty(), "convicted once");
    assertEquals(1, core.counters().convictions());
    Effects e = tickAndAckB(core, lastAck + 30_000);
    assertTrue(e.events().isEmpty(), "the ack comes in a separate step");
    assertTrue(core.isAlive("b"));
    PeerState s = core.snapshot(lastAck + 30_500).get(0);
    assertEquals(new PeerState("b", "h:2", 1, 0, MemberStatus.NORMAL, 0, true, s.phi(), 500, 1),
        s);
  }

  @Test
  void aCheckBetweenTicksConvictsAsSoonAsPhiCrossesTheThresholdAndSendsNothing() {
    GossipCore core = core();
    learn(core, 0, B);
    ackEveryTick(core, 0, 20_000);
    long lastAck = 20_000;
    long convictedAt = -1;
    for (long t = lastAck + 100; t < lastAck + 6000 && convictedAt < 0; t += 100) {
      Effects e = t % 1000 == 0 ? core.tick(t) : core.check(t);
      if (t % 1000 != 0) {
        assertTrue(e.outbound().isEmpty(), "a check sends nothing");
      }
      if (!e.events().isEmpty()) {
        convictedAt = t;
      }
    }
    // Ticks alone convict at +5000 (the first tick after phi passes 8 at about +4560).
    assertEquals(lastAck + 4600, convictedAt);
  }

  @Test
  void aCheckAfterALocalStallConvictsNobody() {
    GossipCore core = core();
    learn(core, 0, B);
    ackEveryTick(core, 0, 20_000);
    // The process was stopped for 8 s: the first step after it is a check, not a tick.
    assertTrue(core.check(28_000).events().isEmpty(), "pause guard");
    assertTrue(core.inPauseQuiet(28_000));
  }

  @Test
  void theAckThatBringsAPeerBackEmitsUp() {
    GossipCore core = core();
    learn(core, 0, B);
    for (long t = 0; t < 6000; t += 1000) {
      assertTrue(core.tick(t).events().isEmpty());
    }
    assertEquals(List.of(new Down("b", core.snapshot(6000).get(0).phi())),
        core.tick(6000).events(), "never answered: convicted from the estimate");
    Effects e = core.tick(7000);
    Ping p = (Ping) e.outbound().get(0).message();
    assertEquals(List.of(new Up("b")),
        core.onResponse(7010, "h:2", new PingAck("b", 1, p.seq())).events());
  }

  /** Lesson (scylladb#8488): heartbeats relayed by gossip must not keep a dead node up. */
  @Test
  void gossipedHeartbeatsDoNotKeepAPeerAlive() {
    GossipCore core = core();
    EndpointState b = B;
    learn(core, 0, b);
    for (long t = 0; t <= 10_000; t += 1000) {
      b = b.withNextHeartbeat();
      learn(core, t, b);
      core.tick(t);
    }
    assertFalse(core.isAlive("b"));
    assertEquals(11, core.view().get("b").heartbeatVersion());
  }

  /** Lesson (Cassandra "Not marking nodes down due to local pause", scylladb#957). */
  @Test
  void afterALocalStallNobodyIsConvictedDuringTheQuietPeriod() {
    GossipCore core = core();
    learn(core, 0, B);
    ackEveryTick(core, 0, 10_000);
    assertTrue(core.tick(25_000).events().isEmpty(), "stalled 15 s: quiet");
    assertTrue(core.inPauseQuiet(29_999));
    for (long t = 26_000; t < 30_000; t += 1000) {
      assertTrue(core.tick(t).events().isEmpty(), "still quiet at " + t);
    }
    assertFalse(core.inPauseQuiet(30_000));
    assertEquals(1, core.tick(30_000).events().size(), "b stayed silent: convicted after");
  }

  @Test
  void aTickGapWithinTheGuardIsNoStall() {
    GossipCore core = core();
    core.tick(0);
    core.tick(3000);
    assertFalse(core.inPauseQuiet(3000));
    core.tick(6001);
    assertTrue(core.inPauseQuiet(6001));
    assertFalse(core.inPauseQuiet(11_001));
  }

  @Test
  void anAckFromANewGenerationResetsTheDetectorAndReportsARestart() {
    GossipCore core = core();
    learn(core, 0, B);
    ackEveryTick(core, 0, 5000);
    Ping p = (Ping) core.tick(6000).outbound().get(0).message();
    List<LivenessEvent> ev = core.onResponse(6005, "h:2", new PingAck("b", 2, p.seq())).events();
    assertEquals(List.of(new Restarted("b", 2)), ev);
    assertTrue(core.isAlive("b"));
    assertEquals(0, core.snapshot(6005).get(0).lastAckAgeMillis());
    assertTrue(core.onResponse(6006, "h:2", new PingAck("b", 1, p.seq() + 1)).events().isEmpty());
    assertEquals(1, core.snapshot(6006).get(0).lastAckAgeMillis(), "old incarnation ignored");
  }

  @Test
  void duplicatedAndUnknownAcksAreIgnored() {
    GossipCore core = core();
    learn(core, 0, B);
    core.tick(0);
    core.onResponse(10, "h:2", new PingAck("b", 1, 1));
    core.onResponse(2000, "h:2", new PingAck("b", 1, 1));
    core.onResponse(2000, "h:5", new PingAck("zz", 1, 1));
    // The answered ping was sent at 0: the heartbeat is sampled at its send time.
    assertEquals(2000, core.snapshot(2000).get(0).lastAckAgeMillis(), "duplicate not a beat");
    assertEquals(3, core.counters().acksReceived());
  }

  @Test
  void aHeartbeatIsSampledAtItsPingsSendTimeSoRoundTripJitterDoesNotWidenTheWindow() {
    GossipCore core = core();
    learn(core, 0, B);
    // Answers arrive 5 to 900 ms after each ping; the pings go out exactly every second.
    for (long t = 0, i = 0; t <= 30_000; t += 1000, i++) {
      Effects e = core.tick(t);
      Ping p = (Ping) e.outbound().get(0).message();
      core.onResponse(t + (i % 2 == 0 ? 5 : 900), "h:2", new PingAck("b", 1, p.seq()));
    }
    // Sampled at arrival, the std dev would be ~450 ms and phi at +4.6 s far below 8.
    long convictedAt = -1;
    for (long t = 30_100; t <= 36_000 && convictedAt < 0; t += 100) {
      if (!core.check(t).events().isEmpty()) {
        convictedAt = t;
      }
    }
    assertEquals(30_000 + 4_600, convictedAt, "4.6 s after the last answered ping was sent");
  }

  @Test
  void aShutdownAnnouncementMarksThePeerDownUntilANewGeneration() {
    GossipCore core = core();
    learn(core, 0, B);
    List<LivenessEvent> ev = learn(core, 100, B.withStatus(MemberStatus.SHUTDOWN)
        .withNextHeartbeat());
    assertEquals(1, ev.size());
    assertEquals("b", assertInstanceOf(Down.class, ev.get(0)).nodeId());
    assertFalse(core.isAlive("b"));
    assertEquals(0, core.counters().convictions(), "a shutdown is not a conviction");
    Ping p = (Ping) core.tick(1000).outbound().get(0).message();
    assertTrue(core.onResponse(1001, "h:2", new PingAck("b", 1, p.seq())).events().isEmpty());
    assertFalse(core.isAlive("b"), "a draining node's acks do not bring it back");
    assertEquals(List.of(new Restarted("b", 2)), learn(core, 2000,
        EndpointState.starting("b", "h:2", 2, 0)));
    p = (Ping) core.tick(3000).outbound().get(0).message();
    assertEquals(List.of(new Up("b")),
        core.onResponse(3001, "h:2", new PingAck("b", 2, p.seq())).events());
  }

  @Test
  void aPeerLearntAlreadyShutDownStartsDownWithoutEvents() {
    GossipCore core = core();
    assertTrue(learn(core, 0, B.withStatus(MemberStatus.SHUTDOWN)).isEmpty());
    assertFalse(core.isAlive("b"));
  }

  @Test
  void announceShutdownTellsEveryLivePeer() {
    GossipCore core = core();
    learn(core, 0, B, C);
    learn(core, 0, C.withStatus(MemberStatus.SHUTDOWN).withNextHeartbeat());
    List<Outbound> out = core.announceShutdown();
    assertEquals(1, out.size());
    assertEquals("b", out.get(0).targetNodeId());
    EndpointState me = ((Syn) out.get(0).message()).view().get("a");
    assertEquals(MemberStatus.SHUTDOWN, me.status());
    assertEquals(me, core.self());
  }

  @Test
  void entriesForThisNodeFromOthersAreIgnored() {
    GossipCore core = core();
    EndpointState impostor = new EndpointState("a", "h:66", 7, 99, MemberStatus.SHUTDOWN, 5);
    assertTrue(learn(core, 0, impostor).isEmpty());
    assertEquals(A, core.view().get("a"));
    assertTrue(core.snapshot(0).isEmpty());
  }

  @Test
  void aNewRingEpochIsPublishedWithANewerEntry() {
    GossipCore core = core();
    core.updateRingEpoch(4);
    assertEquals(4, core.view().get("a").ringEpoch());
    assertTrue(core.view().get("a").supersedes(A));
  }

  @Test
  void responsesAndRequestsAreNotInterchangeable() {
    GossipCore core = core();
    assertThrows(IllegalArgumentException.class,
        () -> core.onRequest(0, new PingAck("b", 1, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> core.onRequest(0, new SynAck(MembershipView.empty())));
    assertThrows(IllegalArgumentException.class,
        () -> core.onResponse(0, "h:2", new Ping("b", 1, 1)));
    assertThrows(IllegalArgumentException.class,
        () -> core.onResponse(0, "h:2", new Syn(MembershipView.empty())));
    assertNull(core.view().get("b"));
  }
}
