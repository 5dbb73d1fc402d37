package io.kvstore.node.coord;

import static io.kvstore.node.coord.SimulatedCluster.key;
import static io.kvstore.node.coord.SimulatedCluster.soon;
import static io.kvstore.node.coord.SimulatedCluster.values;
import static io.kvstore.node.coord.SimulatedCluster.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.node.time.SimulatedTime;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.versioning.Value;
import io.kvstore.node.versioning.VersionVector;
import io.kvstore.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest reads over a simulated network: a read asks R replicas, not N, one for its state and the
 * others for a digest; a digest that differs costs a second round trip and a read repair; slow,
 * failed and down replicas are replaced by a primary not yet asked, then by a fallback (Dynamo 4.5
 * and 4.6, with Cassandra's digest reads and speculative retry).
 */
class DigestReadTest {
  @TempDir Path root;
  private SimulatedCluster c;
  private SimulatedNetwork net;

  @BeforeEach
  void setUp() {
    c = new SimulatedCluster(root);
    net = c.net;
  }

  @AfterEach
  void tearDown() {
    c.close();
  }

  private int writesSent(NodeId node) {
    AtomicInteger n = net.writesReceived.get(node);
    return n == null ? 0 : n.get();
  }

  @Test
  void matchingDigestsAnswerInOneRoundTripWithoutRepairAndTheThirdReplicaIsNotAsked() {
    byte[] k = key("match");
    List<NodeId> rep = c.writtenEverywhere(k);
    int writes = writesSent(rep.get(1)) + writesSent(rep.get(2));

    ReadResult r = net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(List.of("v"), values(r.merged()));
    assertEquals(2, r.replies());
    assertEquals(1, net.digestReadsSent(rep.get(1)), "the other replica is asked for a digest");
    assertEquals(0, net.fullReadsSent(rep.get(1)), "which matched: no second round trip");
    assertEquals(0, net.readsSent(rep.get(2)), "the N-R'th replica is never contacted");
    assertEquals(writes, writesSent(rep.get(1)) + writesSent(rep.get(2)), "no read repair");
    c.fallbacks(k).forEach(f -> assertEquals(0, net.readsSent(f)));
    assertEquals(0, c.events(rep.get(0)).retries(), "nothing was asked twice");
  }

  @Test
  void aStaleReplicaAmongTheRIsReadInFullAndTheAnswerIsTheMergeAndItIsRepaired() {
    byte[] k = key("stale");
    List<NodeId> rep = c.replicas(k);
    net.unreachable.add(rep.get(1));
    net.coordinators.get(rep.get(0)).write(write(k, "v", 2), soon(), false).join();
    net.unreachable.clear();
    assertTrue(c.stored(rep.get(1), k).isEmpty(), "the second replica missed the write");

    ReadResult r = net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(List.of("v"), values(r.merged()));
    assertEquals(2, r.replies());
    assertEquals(1, net.digestReadsSent(rep.get(1)));
    assertEquals(1, net.fullReadsSent(rep.get(1)), "its digest differed: a second round trip");
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_DIGEST_MISMATCH), "reported as such");
    assertEquals(r.merged(), c.stored(rep.get(1), k).orElseThrow(), "read repair");
    assertEquals(0, net.readsSent(rep.get(2)));
  }

  @Test
  void concurrentSiblingsOnTwoReplicasAreBothInTheAnswerAndOnBothAfterRepair() {
    byte[] k = key("siblings");
    List<NodeId> rep = c.replicas(k);
    // "a" only on the first replica, "b" only on the second, written through each: concurrent.
    net.unreachable.addAll(List.of(rep.get(1), rep.get(2)));
    net.coordinators.get(rep.get(0)).write(write(k, "a", 1), soon(), false).join();
    net.unreachable.clear();
    net.unreachable.addAll(List.of(rep.get(0), rep.get(2)));
    net.coordinators.get(rep.get(1)).write(write(k, "b", 1), soon(), false).join();
    net.unreachable.clear();

    ReadResult r = net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(List.of("a", "b"), values(r.merged()));
    assertEquals(1, net.fullReadsSent(rep.get(1)), "after its digest differed");
    assertEquals(r.merged(), c.stored(rep.get(0), k).orElseThrow());
    assertEquals(r.merged(), c.stored(rep.get(1), k).orElseThrow());
    assertTrue(c.stored(rep.get(2), k).isEmpty(), "not asked, so not repaired: anti-entropy's");
  }

  @Test
  void aSlowReplicaIsReplacedByThePrimaryNotYetAskedBeforeAnyFallback() {
    byte[] k = key("slow");
    List<NodeId> rep = c.writtenEverywhere(k);
    SimulatedTime time = new SimulatedTime();
    Coordinator coord = c.coordinator(rep.get(0), time, 100);
    net.silent.add(rep.get(1));

    var read = coord.read(k, 2, 0, time.deadlineAfter(5_000));
    time.advance(99);
    assertFalse(read.isDone(), "the second replica is not late yet");
    assertEquals(0, net.readsSent(rep.get(2)));
    time.advance(1);
    ReadResult r = read.join();
    assertEquals(List.of("v"), values(r.merged()));
    assertEquals(0, r.sloppyReplies(), "the third primary stood in (speculative retry)");
    assertEquals(1, net.digestReadsSent(rep.get(2)), "asked what the slow one was: a digest");
    c.fallbacks(k).forEach(f -> assertEquals(0, net.readsSent(f)));
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_SLOW), "reported as a retry");
  }

  @Test
  void aReplicaThatRefusesIsReplacedByThePrimaryNotYetAsked() {
    byte[] k = key("refused");
    List<NodeId> rep = c.writtenEverywhere(k);
    net.unreachable.add(rep.get(1));
    ReadResult r = net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(List.of("v"), values(r.merged()));
    assertEquals(0, r.sloppyReplies());
    assertEquals(1, net.digestReadsSent(rep.get(2)));
    c.fallbacks(k).forEach(f -> assertEquals(0, net.readsSent(f)));
    assertEquals(1, c.events(rep.get(0)).count(Retry.READ_FAILED), "reported as a retry");
  }

  @Test
  void aSilentReplicaAskedForTheFullStateIsReplacedByAPrimaryAskedForTheFullState() {
    byte[] k = key("silent-full");
    List<NodeId> rep = c.writtenEverywhere(k);
    SimulatedTime time = new SimulatedTime();
    // Not a replica: the first replica in preference order is asked for the full state.
    Coordinator coord = c.coordinator(c.outsider(k), time, 100);
    net.silent.add(rep.get(0));

    var read = coord.read(k, 2, 0, time.deadlineAfter(5_000));
    assertEquals(1, net.fullReadsSent(rep.get(0)));
    assertEquals(1, net.digestReadsSent(rep.get(1)));
    assertFalse(read.isDone(), "a digest alone is no answer");
    time.advance(100);
    ReadResult r = read.join();
    assertEquals(List.of("v"), values(r.merged()));
    assertEquals(0, r.sloppyReplies());
    assertEquals(1, net.fullReadsSent(rep.get(2)), "the replacement is asked for the state");
  }

  @Test
  void withAllPrimariesButOneDownAnR2ReadAsksOneFallbackForItsHints() {
    byte[] k = key("fallback");
    List<NodeId> rep = c.replicas(k);
    List<NodeId> fallbacks = c.fallbacks(k);
    c.convicted.addAll(List.of(rep.get(1), rep.get(2)));
    net.coordinators.get(rep.get(0)).write(write(k, "x", 2), soon(), false).join();

    ReadResult r = net.coordinators.get(rep.get(0)).read(k, 2, 0, soon()).join();
    assertEquals(List.of("x"), values(r.merged()));
    assertEquals(2, r.replies());
    assertEquals(1, r.sloppyReplies(), "Dynamo 4.6: a fallback in place of a down primary");
    assertEquals(1, net.fullReadsSent(fallbacks.get(0)), "a fallback answers in full (hints)");
    assertEquals(0, net.readsSent(fallbacks.get(1)), "one fallback is enough for R=2");
    assertEquals(0, net.readsSent(rep.get(1)) + net.readsSent(rep.get(2)), "down: not asked");
  }

  /**
   * Over random divergent states of the three replicas (seeded writes, each reaching a random
   * subset, with random contexts): a read through a random node with a random R answers exactly
   * the merge of the R replicas it asks (itself first, then preference order), repairs exactly
   * those, and never contacts the others.
   */
  @Test
  void aReadAnswersTheMergeOfTheRReplicasItAsksAndRepairsOnlyThose() {
    long base = 0x5eed_d16e_57L;
    for (int trial = 0; trial < 150; trial++) {
      long seed = base + trial;
      try {
        readOneDivergentKey(new Random(seed), key("p" + trial));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (trial " + trial + "): " + e.getMessage(), e);
      }
    }
  }

  private void readOneDivergentKey(Random rnd, byte[] k) {
    List<NodeId> rep = c.replicas(k);
    for (int w = 1 + rnd.nextInt(5); w > 0; w--) {
      NodeId via = rep.get(rnd.nextInt(3));
      rep.stream().filter(n -> !n.equals(via) && rnd.nextBoolean()).forEach(net.unreachable::add);
      VersionVector ctx = rnd.nextBoolean() ? VersionVector.EMPTY
          : c.stored(via, k).map(SiblingSet::context).orElse(VersionVector.EMPTY);
      byte[] value = ("w" + w).getBytes(StandardCharsets.UTF_8);
      net.coordinators.get(via).write(new WriteRequest(k, Value.of(value), ctx, 1, 0), soon(),
          false).join();
      net.unreachable.clear();
    }
    List<SiblingSet> before = rep.stream().map(n -> c.stored(n, k).orElse(SiblingSet.EMPTY))
        .toList();
    int[] sent = rep.stream().mapToInt(net::readsSent).toArray();
    NodeId via = rnd.nextInt(4) == 0 ? c.outsider(k) : rep.get(rnd.nextInt(3));
    int r = 1 + rnd.nextInt(3);
    List<NodeId> asked = new ArrayList<>(rep.contains(via) ? List.of(via) : List.of());
    rep.stream().filter(n -> !n.equals(via)).forEach(asked::add);
    asked = asked.subList(0, r);

    ReadResult res = net.coordinators.get(via).read(k, r, 0, soon()).join();
    SiblingSet expected = SiblingSet.EMPTY;
    for (NodeId n : asked) {
      expected = SiblingSet.sync(expected, before.get(rep.indexOf(n)));
    }
    assertEquals(expected, res.merged(), "asked " + asked + " via " + via);
    assertEquals(r, res.replies());
    for (int i = 0; i < 3; i++) {
      NodeId n = rep.get(i);
      SiblingSet now = c.stored(n, k).orElse(SiblingSet.EMPTY);
      if (asked.contains(n)) {
        assertEquals(expected.isEmpty() ? before.get(i) : expected, now, n + " repaired");
      } else {
        assertEquals(before.get(i), now, n + " was not asked, so not repaired");
        assertEquals(sent[i], net.readsSent(n), n + " was not contacted");
      }
    }
  }
}
