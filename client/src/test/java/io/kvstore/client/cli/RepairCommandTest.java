package io.kvstore.client.cli;

import static io.kvstore.client.FakeAdmin.exchange;
import static io.kvstore.client.FakeAdmin.failed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvstore.client.FakeKvStore;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.RepairProgress;
import io.kvstore.proto.RingInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kv repair} against three fake nodes n1..n3 (a ring of 8 partitions), each serving the
 * same cluster status and its own scripted repair; the tool connects to n1 only.
 */
class RepairCommandTest {
  private final List<FakeKvStore> nodes = new ArrayList<>();
  private CliRunner kv;

  @BeforeEach
  void start() {
    for (int i = 0; i < 3; i++) {
      nodes.add(new FakeKvStore());
    }
    status(nodes.get(2).address());
    kv = new CliRunner(Map.of("KV_NODES", nodes.get(0).address()));
  }

  @AfterEach
  void stop() {
    nodes.forEach(FakeKvStore::close);
  }

  /** Every fake answers status with members n1..n3, n3 at {@code n3Address}. */
  private void status(String n3Address) {
    ClusterStatusResponse.Builder s = ClusterStatusResponse.newBuilder().setNodeId("n1")
        .setRing(RingInfo.newBuilder().setPartitionCount(8).setEpoch(1));
    for (int i = 0; i < 3; i++) {
      s.addMembers(Member.newBuilder().setNodeId("n" + (i + 1))
          .setAddress(i == 2 ? n3Address : nodes.get(i).address())
          .setStatus(MemberStatus.MEMBER_STATUS_UP).setIsSelf(i == 0));
    }
    nodes.forEach(n -> n.status(s.build()));
  }

  private FakeKvStore n(int i) {
    return nodes.get(i - 1);
  }

  private static RepairProgress same(int partition, String peer) {
    return exchange(partition, peer, 0, 0, 96, 96, 2);
  }

  private static List<String> lines(String out, String prefix) {
    return out.lines().filter(l -> l.startsWith(prefix)).toList();
  }

  @Test
  void everyMemberRepairsInTurnWithALinePerDifferingExchangeAndSummaries() {
    n(1).admin.script(req -> List.of(exchange(3, "n2", 2, 5, 1229, 820, 40), same(3, "n3"),
        same(4, "n2"), same(4, "n3")));
    n(2).admin.script(req -> List.of(same(3, "n1"), same(3, "n3")));
    n(3).admin.script(req -> List.of(same(3, "n1"), exchange(3, "n2", 1, 1, 300, 5000, 7)));
    CliRunner.Run r = kv.run("repair");
    assertEquals(0, r.code(), r.toString());
    assertEquals(List.of(
        "n1 (" + n(1).address() + "): repairing every partition it replicates with every"
            + " co-replica",
        "n1 partition 3 <-> n2: 2 segments differ, 5 keys repaired, 1.2 KiB sent, 820 B"
            + " received, 40 ms [1/4]",
        "n1: 2/4 exchanges done, 1 identical",
        "n1: 3/4 exchanges done, 2 identical",
        "n1: 4/4 exchanges done, 3 identical",
        "n1 done: 4 exchanges (0 failed), 5 keys repaired, 1.5 KiB sent, 1.1 KiB received,"
            + " 46 ms in exchanges"), lines(r.out(), "n1"));
    assertEquals(List.of(
        "n3 (" + n(3).address() + "): repairing every partition it replicates with every"
            + " co-replica",
        "n3: 1/2 exchanges done, 1 identical",
        "n3 partition 3 <-> n2: 1 segment differs, 1 key repaired, 300 B sent, 4.9 KiB"
            + " received, 7 ms [2/2]",
        "n3 done: 2 exchanges (0 failed), 1 key repaired, 396 B sent, 5.0 KiB received,"
            + " 9 ms in exchanges"), lines(r.out(), "n3"));
    assertTrue(r.out().indexOf("n1 done") < r.out().indexOf("n2 (")
        && r.out().indexOf("n2 done") < r.out().indexOf("n3 ("), "one member after the other");
    assertEquals("total: 3 nodes (0 failed), 8 exchanges (0 failed), 6 keys repaired, 2.1 KiB"
        + " sent, 6.2 KiB received", lines(r.out(), "total: ").get(0));
    assertEquals("", r.err());
    for (int i = 1; i <= 3; i++) {
      assertEquals(1, n(i).admin.repairs.size(), "n" + i);
      assertEquals(List.of(), n(i).admin.repairs.get(0).getPartitionsList());
      assertEquals("", n(i).admin.repairs.get(0).getPeerNodeId());
    }
  }

  @Test
  void verboseShowsIdenticalExchangesInsteadOfTheCounter() {
    n(1).admin.script(req -> List.of(same(3, "n2"), same(3, "n3")));
    CliRunner.Run r = kv.run("repair", "--node", "n1", "--verbose");
    assertEquals(0, r.code(), r.toString());
    assertEquals(List.of("n1 partition 3 <-> n2: identical, 2 ms [1/2]",
        "n1 partition 3 <-> n3: identical, 2 ms [2/2]"), lines(r.out(), "n1 partition"));
    assertTrue(lines(r.out(), "n1: ").isEmpty(), r.out());
  }

  @Test
  void nodeRepairsOnlyThatMemberAtItsOwnAddressWithThePartitionsAndPeer() {
    n(2).admin.script(req -> List.of(same(5, "n3"), same(7, "n3")));
    CliRunner.Run r = kv.run("repair", "--node", "n2", "--partition", "7", "--partition", "5,7",
        "--peer", "n3");
    assertEquals(0, r.code(), r.toString());
    assertEquals(0, n(1).admin.repairs.size());
    assertEquals(0, n(3).admin.repairs.size());
    assertEquals(1, n(2).admin.repairs.size());
    assertEquals(List.of(5, 7), n(2).admin.repairs.get(0).getPartitionsList());
    assertEquals("n3", n(2).admin.repairs.get(0).getPeerNodeId());
    assertEquals(1, n(1).statusCalls.size(), "the member list came from the node connected to");
    assertTrue(r.out().startsWith("n2 (" + n(2).address() + "): repairing partitions 5, 7 with"
        + " n3\n"), r.out());
    assertEquals("total: 1 node (0 failed), 2 exchanges (0 failed), 0 keys repaired, 192 B"
        + " sent, 192 B received", lines(r.out(), "total: ").get(0));
  }

  @Test
  void aPeerWithoutNodeIsRepairedWithByEveryOtherMember() {
    CliRunner.Run r = kv.run("repair", "--peer", "n2");
    assertEquals(0, r.code(), r.toString());
    assertEquals(List.of("n2: skipped (it is the --peer)"), lines(r.out(), "n2"));
    assertEquals(0, n(2).admin.repairs.size());
    assertEquals("n2", n(1).admin.repairs.get(0).getPeerNodeId());
    assertEquals("n2", n(3).admin.repairs.get(0).getPeerNodeId());
  }

  @Test
  void aFailedExchangeIsPrintedTheRepairGoesOnAndTheExitCodeIsThree() {
    n(1).admin.script(req -> List.of(failed(3, "n3", "peer n3 is down"),
        failed(6, "", "this node does not replicate partition 6"), same(3, "n2")));
    CliRunner.Run r = kv.run("repair");
    assertEquals(3, r.code(), r.toString());
    assertEquals(List.of("n1 partition 3 <-> n3: FAILED: peer n3 is down [1/3]",
        "n1 partition 6: FAILED: this node does not replicate partition 6 [2/3]"),
        lines(r.out(), "n1 partition"));
    assertTrue(r.out().contains("n1 done: 3 exchanges (2 failed)"), r.out());
    assertEquals(1, n(3).admin.repairs.size(), "the other members were still repaired");
    assertTrue(r.out().contains("total: 3 nodes (0 failed), 3 exchanges (2 failed)"), r.out());
    assertEquals("error: repair incomplete: 2 of 3 exchanges failed, 0 of 3 nodes could not be"
        + " repaired\n", r.err());
  }

  @Test
  void anUnreachableMemberIsReportedAndTheOthersStillRepair() {
    String closed = FakeKvStore.closedAddress();
    status(closed);
    n(2).admin.failWith(Status.RESOURCE_EXHAUSTED.withDescription("overloaded"));
    CliRunner.Run r = kv.run("repair");
    assertEquals(7, r.code(), "the first failure (n2 overloaded) decides: " + r);
    assertEquals("n2: FAILED: RESOURCE_EXHAUSTED: overloaded (node " + n(2).address() + ")",
        lines(r.out(), "n2: ").get(0));
    assertTrue(lines(r.out(), "n3: ").get(0).startsWith("n3: FAILED: cannot reach any node of "
        + closed + " (UNAVAILABLE"), r.out());
    assertEquals(1, n(1).admin.repairs.size());
    assertTrue(r.out().contains("total: 3 nodes (2 failed), 0 exchanges (0 failed)"), r.out());
    assertTrue(r.err().startsWith("error: repair incomplete"), r.err());

    n(2).admin.failWith(null);
    assertEquals(3, kv.run("repair").code(), "only n3 unreachable: 3");
  }

  @Test
  void badInputIsAUsageErrorNamingTheProblemAndNothingIsRepaired() {
    record Case(String expected, String[] args) {}
    List<Case> cases = List.of(
        new Case("error: --partition: 'x' is not a partition number",
            new String[] {"repair", "--partition", "x"}),
        new Case("error: --partition: '-1' is not a partition number",
            new String[] {"repair", "--partition=-1"}),
        new Case("error: --partition 8 is out of range: the ring has 8 partitions (0..7)",
            new String[] {"repair", "--partition", "3", "--partition", "8"}),
        new Case("error: --node n9 is not a member of the cluster (members: n1, n2, n3)",
            new String[] {"repair", "--node", "n9"}),
        new Case("error: --peer n0 is not a member of the cluster (members: n1, n2, n3)",
            new String[] {"repair", "--peer", "n0"}),
        new Case("error: --peer n1 is the --node itself",
            new String[] {"repair", "--node", "n1", "--peer", "n1"}),
        new Case("error: --deadline must be positive", new String[] {"repair", "--deadline", "0s"}),
        new Case("'--deadline': 'soon' is not a duration",
            new String[] {"repair", "--deadline", "soon"}));
    for (Case c : cases) {
      CliRunner.Run r = kv.run(c.args());
      assertEquals(2, r.code(), String.join(" ", c.args()) + ": " + r);
      assertTrue(r.err().contains(c.expected()), String.join(" ", c.args()) + ": " + r);
      assertTrue(r.err().contains("Try 'kv repair --help'"), r.toString());
      assertEquals("", r.out());
    }
    nodes.forEach(n -> assertTrue(n.admin.repairs.isEmpty()));
  }

  @Test
  void helpExplainsTheOptionsOutputAndExitCodes() {
    CliRunner.Run r = kv.run("repair", "--help");
    assertEquals(0, r.code(), r.toString());
    assertTrue(r.out().startsWith("Usage: kv repair"), r.out());
    for (String text : List.of("--partition=P", "--node=ID", "--peer=ID", "--deadline=DURATION",
        "every member", "--verbose", "Exit code 0 when every exchange completed", "Examples:")) {
      assertTrue(r.out().contains(text), text + " in:\n" + r.out());
    }
    assertFalse(r.out().contains("${"), r.out());
  }
}
