package io.kvstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The selection core without sockets or threads: a hand-driven clock and a seeded random. Each
 * test builds its selector from {@link #SEED}; the same seed gives the same picks.
 */
class NodeSelectorTest {
  private static final long SEED = 20_260_517L;
  private static final long MS = 1_000_000L;
  private static final RoutingPolicy POLICY = RoutingPolicy.of(Duration.ofSeconds(2), true,
      Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(250));

  private final AtomicLong now = new AtomicLong(1_000 * MS);
  private final boolean[] none = new boolean[3];

  @BeforeAll
  static void printSeed() {
    System.out.println("NodeSelectorTest seed " + SEED);
  }

  private NodeSelector selector(RoutingPolicy policy) {
    return new NodeSelector(3, policy, now::get, new SplittableRandom(SEED));
  }

  private NodeSelector selector() {
    return selector(POLICY);
  }

  private void advanceMillis(long ms) {
    now.addAndGet(ms * MS);
  }

  /** One attempt at {@code node} that takes {@code ms} and ends with {@code outcome}. */
  private void attempt(NodeSelector s, int node, long ms, Outcome outcome) {
    long start = s.begin(node);
    advanceMillis(ms);
    s.end(node, start, outcome);
  }

  private static int[] picks(NodeSelector s, boolean[] excluded, int n) {
    int[] counts = new int[3];
    for (int i = 0; i < n; i++) {
      counts[s.pick(excluded, true)]++;
    }
    return counts;
  }

  @Test
  void aNodeThatTimedOutWithoutAnsweringIsSuspectAndGetsNoTraffic() {
    NodeSelector s = selector();
    attempt(s, 0, 2000, Outcome.TIMEOUT);
    assertEquals(NodeHealth.Rank.SUSPECT, s.rank(0));
    assertEquals(0, picks(s, none, 1000)[0]);
  }

  @Test
  void aTimeoutIsForgivenWhenTheNodeAnsweredAnotherRequestMeanwhile() {
    NodeSelector s = selector();
    long slow = s.begin(0);
    attempt(s, 0, 5, Outcome.SUCCESS);
    advanceMillis(2000);
    s.end(0, slow, Outcome.TIMEOUT);
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(0));
  }

  @Test
  void anUnreachableNodeIsSuspectAtOnce() {
    NodeSelector s = selector();
    attempt(s, 1, 0, Outcome.UNREACHABLE);
    assertEquals(NodeHealth.Rank.SUSPECT, s.rank(1));
  }

  @Test
  void aSuspectIsProbedAtOnceThenEveryIntervalAndAPassingProbeClearsIt() {
    NodeSelector s = selector();
    attempt(s, 2, 2000, Outcome.TIMEOUT);
    assertEquals(List.of(2), s.probesDue());
    assertEquals(List.of(), s.probesDue(), "one probe at a time");
    advanceMillis(1000);
    s.probeDone(2, false);
    advanceMillis(249);
    assertEquals(List.of(), s.probesDue(), "not before the interval");
    advanceMillis(1);
    assertEquals(List.of(2), s.probesDue());
    s.probeDone(2, true);
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(2));
    assertTrue(picks(s, none, 300)[2] > 0, "back in rotation");
    assertEquals(List.of(), s.probesDue(), "healthy nodes are not probed");
  }

  @Test
  void aProbeThatClearsASuspectGivesItAFreshLatencySoItIsTriedAgain() {
    NodeSelector s = selector();
    for (int node = 0; node < 3; node++) {
      attempt(s, node, 2, Outcome.SUCCESS);
    }
    attempt(s, 0, 300, Outcome.LATE);
    attempt(s, 0, 300, Outcome.LATE);
    assertEquals(NodeHealth.Rank.SUSPECT, s.rank(0));
    s.probesDue();
    s.probeDone(0, true);
    boolean[] onlyZeroAndOne = {false, false, true};
    assertEquals(300, picks(s, onlyZeroAndOne, 300)[0], "equal load: the unknown latency wins");
  }

  @Test
  void theNodeWithFewerOutstandingRequestsWins() {
    NodeSelector s = selector();
    s.begin(0);
    s.begin(0);
    s.begin(1);
    int[] counts = picks(s, none, 3000);
    assertEquals(0, counts[0], "the busiest of three never wins a two-way draw");
    assertTrue(counts[2] > counts[1], "least outstanding preferred: " + List.of(counts[1], counts[2]));
    boolean[] notTwo = {false, false, true};
    assertEquals(1000, picks(s, notTwo, 1000)[1]);
  }

  @Test
  void atEqualLoadTheLowerLatencyWins() {
    NodeSelector s = selector();
    attempt(s, 0, 1, Outcome.SUCCESS);
    attempt(s, 1, 5, Outcome.SUCCESS);
    attempt(s, 2, 5, Outcome.SUCCESS);
    int[] counts = picks(s, none, 3000);
    // Node 0 wins every draw it is in (2 of 3 pairs); 1 and 2 split the third.
    assertEquals(2000, counts[0], 150);
    assertEquals(counts[1], counts[2], 150);
  }

  @Test
  void twoLateAttemptsInARowMakeASuspectUnlessTheNodeAnsweredBetween() {
    NodeSelector s = selector();
    attempt(s, 0, 100, Outcome.LATE);
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(0));
    attempt(s, 0, 2, Outcome.SUCCESS);
    attempt(s, 0, 100, Outcome.LATE);
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(0), "an answer reset the count");
    attempt(s, 0, 100, Outcome.LATE);
    assertEquals(NodeHealth.Rank.SUSPECT, s.rank(0));
  }

  @Test
  void cancelledAttemptsSayNothingAboutTheNode() {
    NodeSelector s = selector();
    for (int i = 0; i < 5; i++) {
      attempt(s, 0, 1, Outcome.CANCELLED);
    }
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(0));
    assertEquals(0, s.outstanding(0));
  }

  @Test
  void aNodeQuietForLongerThanTheHedgeDelayWithRequestsOutstandingIsSlow() {
    NodeSelector s = selector();
    for (int node = 0; node < 3; node++) {
      attempt(s, node, 1, Outcome.SUCCESS);
    }
    long hedge = s.hedgeDelayNanos();
    s.begin(0);
    s.begin(1);
    s.begin(1); // busier, but answering
    now.addAndGet(hedge + 1);
    attempt(s, 1, 1, Outcome.SUCCESS);
    assertEquals(NodeHealth.Rank.SLOW, s.rank(0));
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(1));
    boolean[] notTwo = {false, false, true};
    assertEquals(100, picks(s, notTwo, 100)[1], "the quiet node loses despite less load");
  }

  @Test
  void anUnavailableAnswerDemotesTheNodeForOneProbeInterval() {
    NodeSelector s = selector();
    attempt(s, 0, 1, Outcome.UNAVAILABLE_ANSWER);
    assertEquals(NodeHealth.Rank.SLOW, s.rank(0));
    assertEquals(0, picks(s, none, 300)[0]);
    advanceMillis(250);
    assertEquals(NodeHealth.Rank.HEALTHY, s.rank(0));
  }

  @Test
  void whenEveryNodeIsSuspectTheLeastBadIsStillTried() {
    NodeSelector s = selector();
    attempt(s, 0, 1, Outcome.SUCCESS);
    attempt(s, 1, 1, Outcome.SUCCESS);
    attempt(s, 2, 1, Outcome.SUCCESS);
    advanceMillis(10);
    attempt(s, 1, 1, Outcome.SUCCESS); // answered last
    attempt(s, 0, 0, Outcome.UNREACHABLE);
    attempt(s, 1, 0, Outcome.UNREACHABLE);
    attempt(s, 2, 0, Outcome.UNREACHABLE);
    assertEquals(-1, s.pick(none, false), "hedges do not go to suspects");
    assertEquals(1, s.pick(none, true), "the one that answered last");
    s.begin(1);
    assertEquals(2, s.pick(none, true), "fewer outstanding first, then the last to answer");
  }

  @Test
  void theKeysReplicasComeFirstHealthyThenSlowAndASuspectOneLosesToANonReplica() {
    NodeSelector s = selector();
    int[] replicas = {2, 0};
    int[] counts = new int[3];
    for (int i = 0; i < 300; i++) {
      counts[s.pick(none, true, replicas)]++;
    }
    assertEquals(0, counts[1], "never the non-replica while replicas are healthy");
    assertTrue(counts[0] > 50 && counts[2] > 50, "both replicas share the load: " + counts[0]
        + "/" + counts[2]);

    attempt(s, 0, 1, Outcome.UNAVAILABLE_ANSWER); // slow for a probe interval
    assertEquals(2, s.pick(none, true, replicas), "the healthy replica before the slow one");
    assertEquals(0, s.pick(new boolean[] {false, false, true}, true, replicas),
        "a slow replica before a healthy non-replica");

    attempt(s, 2, 0, Outcome.UNREACHABLE);
    assertEquals(NodeHealth.Rank.SUSPECT, s.rank(2));
    assertEquals(1, s.pick(new boolean[] {true, false, false}, true, replicas),
        "a suspect replica is skipped for a healthy non-replica");
    assertEquals(2, s.pick(new boolean[] {true, true, false}, true, replicas),
        "and still tried when nothing else is left");
    assertEquals(-1, s.pick(new boolean[] {true, true, false}, false, replicas),
        "but not hedged to");
  }

  @Test
  void excludedNodesAreNeverPicked() {
    NodeSelector s = selector();
    boolean[] onlyTwo = {true, true, false};
    assertEquals(1000, picks(s, onlyTwo, 1000)[2]);
    assertEquals(-1, s.pick(new boolean[] {true, true, true}, true));
  }

  @Test
  void theHedgeDelayFollowsObservedLatencyWithinItsBounds() {
    NodeSelector s = selector();
    assertEquals(500 * MS, s.hedgeDelayNanos(), "the maximum before any answer");
    for (int i = 0; i < 50; i++) {
      attempt(s, i % 3, 1, Outcome.SUCCESS);
    }
    assertEquals(20 * MS, s.hedgeDelayNanos(), "fast answers: the minimum");
    for (int i = 0; i < 50; i++) {
      attempt(s, i % 3, i % 2 == 0 ? 40 : 80, Outcome.SUCCESS);
    }
    long d = s.hedgeDelayNanos();
    assertTrue(d > 80 * MS && d < 200 * MS, "mean plus four deviations of 40/80 ms: " + d / MS);
    for (int i = 0; i < 50; i++) {
      attempt(s, i % 3, 900, Outcome.SUCCESS);
    }
    assertEquals(500 * MS, s.hedgeDelayNanos(), "slow answers: the maximum");
    attempt(s, 0, 5000, Outcome.LATE);
    assertEquals(500 * MS, s.hedgeDelayNanos(), "abandoned attempts do not count");
  }

  @Test
  void theHedgeDelayIsAtMostHalfTheTimeout() {
    RoutingPolicy shortTimeout = RoutingPolicy.of(Duration.ofMillis(100), true,
        Duration.ofMillis(20), Duration.ofMillis(500), Duration.ofMillis(250));
    assertEquals(50 * MS, selector(shortTimeout).hedgeDelayNanos());
  }

  @Test
  void statusesMapToOutcomes() {
    assertEquals(Outcome.SUCCESS, Outcome.of(null));
    assertEquals(Outcome.UNREACHABLE, Outcome.of(
        Status.UNAVAILABLE.withCause(new ConnectException("refused"))));
    assertEquals(Outcome.TIMEOUT, Outcome.of(
        Status.UNAVAILABLE.withCause(new IOException("connection reset"))));
    assertEquals(Outcome.UNAVAILABLE_ANSWER, Outcome.of(Status.UNAVAILABLE));
    assertEquals(Outcome.TIMEOUT, Outcome.of(Status.DEADLINE_EXCEEDED));
    assertEquals(Outcome.TIMEOUT, Outcome.of(Status.CANCELLED), "dropped by the node");
    assertEquals(Outcome.OTHER_ANSWER, Outcome.of(Status.RESOURCE_EXHAUSTED));
    assertEquals(Outcome.OTHER_ANSWER, Outcome.of(Status.UNIMPLEMENTED));
  }

  @Test
  void theSameSeedGivesTheSamePicks() {
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    NodeSelector a = selector();
    NodeSelector b = selector();
    for (int i = 0; i < 100; i++) {
      first.add(a.pick(none, true));
      second.add(b.pick(none, true));
    }
    assertEquals(first, second);
    assertFalse(first.stream().distinct().count() < 3, "all nodes used: " + first);
  }
}
