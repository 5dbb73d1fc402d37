package io.kvstore.client.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.kvstore.client.FakeKvStore;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.ReplicationDefaults;
import io.kvstore.proto.RingInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kv tool's commands against a fake server: output format, exit codes, errors. */
class KvCliTest {
  private FakeKvStore server;
  private CliRunner kv;

  @BeforeEach
  void start() {
    server = new FakeKvStore();
    kv = new CliRunner(Map.of("KV_NODES", server.address()));
  }

  @AfterEach
  void stop() throws InterruptedException {
    server.close();
  }

  private static String line(String output, String prefix) {
    return output.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .map(l -> l.substring(prefix.length())).orElseThrow(() -> new AssertionError(
            "no line starting with '" + prefix + "' in:\n" + output));
  }

  @Test
  void putPrintsTheContextAndAcksAndGetPrintsTheValueAndContext() {
    CliRunner.Run put = kv.run("put", "user:1", "alice");
    assertEquals(0, put.code(), put.toString());
    String ctx = line(put.out(), "context: ");
    assertTrue(ctx.matches("[A-Za-z0-9_-]+"), ctx);
    assertEquals("2", line(put.out(), "acks: "));

    CliRunner.Run get = kv.run("get", "user:1");
    assertEquals(0, get.code(), get.toString());
    assertEquals("value: alice\ncontext: " + ctx + "\n", get.out());
  }

  @Test
  void putWithContextSendsItAndGetShowsSiblings() {
    String ctx = line(kv.run("put", "k", "a").out(), "context: ");
    kv.run("put", "k", "b"); // blind: a sibling
    CliRunner.Run get = kv.run("get", "k");
    assertEquals("2", line(get.out(), "siblings: "));
    assertEquals(List.of("value: a", "value: b"),
        get.out().lines().filter(l -> l.startsWith("value: ")).sorted().toList());

    String merged = line(get.out(), "context: ");
    CliRunner.Run put = kv.run("put", "k", "c", "--context", merged, "--w", "3", "--pw", "2");
    assertEquals(0, put.code(), put.toString());
    assertArrayEquals(Base64.getUrlDecoder().decode(merged),
        server.puts.get(2).getContext().toByteArray());
    assertEquals(3, server.puts.get(2).getOptions().getW());
    assertEquals(2, server.puts.get(2).getOptions().getPw());
    assertEquals("value: c", kv.run("get", "k").out().lines().findFirst().orElseThrow());
    assertFalse(ctx.isEmpty());
  }

  @Test
  void getOfAMissingOrDeletedKeyExitsWithOne() {
    CliRunner.Run missing = kv.run("get", "nope");
    assertEquals(1, missing.code(), missing.toString());
    assertEquals("not found\n", missing.out());

    kv.run("put", "k", "v");
    CliRunner.Run del = kv.run("delete", "k");
    assertEquals(0, del.code(), del.toString());
    assertEquals("deleted\nacks: 2\nsloppy acks: 0\n", del.out());
    assertEquals(server.gets.get(1).getKey(), server.deletes.get(0).getKey());
    assertFalse(server.deletes.get(0).getContext().isEmpty(), "read-then-delete sends a context");

    CliRunner.Run deleted = kv.run("get", "k");
    assertEquals(1, deleted.code(), deleted.toString());
    assertTrue(deleted.out().startsWith("deleted\ncontext: "), deleted.out());
  }

  @Test
  void deleteOfAMissingKeyWritesNothing() {
    CliRunner.Run r = kv.run("delete", "nope");
    assertEquals(1, r.code(), r.toString());
    assertEquals("not found\n", r.out());
    assertTrue(server.deletes.isEmpty());
  }

  @Test
  void deleteWithContextSkipsTheRead() {
    String ctx = line(kv.run("put", "k", "v").out(), "context: ");
    int readsBefore = server.gets.size();
    CliRunner.Run r = kv.run("delete", "k", "--context", ctx, "--w", "1");
    assertEquals(0, r.code(), r.toString());
    assertEquals(readsBefore, server.gets.size());
    assertEquals(1, server.deletes.get(0).getOptions().getW());
  }

  @Test
  void valuesComeFromStdinOrAFile(@TempDir Path dir) throws Exception {
    assertEquals(0, kv.runWithStdin("from stdin".getBytes(UTF_8), "put", "a", "-").code());
    assertEquals(0, kv.runWithStdin("also stdin".getBytes(UTF_8), "put", "b", "--stdin").code());
    Path file = dir.resolve("v.bin");
    Files.write(file, new byte[] {0, (byte) 0xff, 10});
    assertEquals(0, kv.run("put", "c", "--file", file.toString()).code());

    assertEquals("value: from stdin", kv.run("get", "a").out().lines().findFirst().orElseThrow());
    assertEquals("value: also stdin", kv.run("get", "b").out().lines().findFirst().orElseThrow());
    assertEquals("value: hex:00ff0a", kv.run("get", "c").out().lines().findFirst().orElseThrow());
    assertEquals("value: AP8K",
        kv.run("get", "c", "--format", "base64").out().lines().findFirst().orElseThrow());
    assertEquals("value: 616c736f20737464696e",
        kv.run("get", "b", "--format", "hex").out().lines().findFirst().orElseThrow());
  }

  @Test
  void statusPrintsRingDefaultsMembersAndReachability() {
    String down = FakeKvStore.closedAddress();
    server.status(ClusterStatusResponse.newBuilder().setNodeId("n1")
        .addMembers(Member.newBuilder().setNodeId("n1").setAddress(server.address())
            .setStatus(MemberStatus.MEMBER_STATUS_UP).setPartitionsOwned(128).setIncarnation(3)
            .setIsSelf(true).setLastHeartbeatAgeMillis(-1))
        .addMembers(Member.newBuilder().setNodeId("n2").setAddress(down)
            .setStatus(MemberStatus.MEMBER_STATUS_DOWN).setPartitionsOwned(128).setIncarnation(1)
            .setPhi(14.25).setLastHeartbeatAgeMillis(6200))
        .setRing(RingInfo.newBuilder().setPartitionCount(256).setEpoch(5))
        .setDefaults(ReplicationDefaults.newBuilder().setN(3).setR(2).setW(2))
        .setHints(io.kvstore.proto.HintSummary.newBuilder()
            .addQueues(io.kvstore.proto.HintQueue.newBuilder().setTargetNodeId("n2").setHints(42)
                .setBytes(4200).setOldestAgeMillis(7500))
            .setDelivered(8).setDeliveredBytes(800).setWindowMillis(10_800_000))
        .build());
    CliRunner.Run r = kv.run("status");
    assertEquals(0, r.code(), r.toString());
    assertEquals("n1", line(r.out(), "answered by: "));
    assertEquals("256 partitions, epoch 5", line(r.out(), "ring: "));
    assertEquals("N=3 R=2 W=2", line(r.out(), "defaults: "));
    String n1 = line(r.out(), "n1 *");
    assertTrue(n1.matches(".*" + server.address() + " +UP +- +- +128 +3 +yes\\s*"), n1);
    String n2 = line(r.out(), "n2 ");
    assertTrue(n2.matches(".*" + down + " +DOWN +14.3 +6.2s ago +128 +1 +no \\(UNAVAILABLE\\)\\s*"),
        n2);
    // The views: n1 answered (the fake answers with the same status), n2 did not.
    String views = r.out().substring(r.out().indexOf("failure detector views"));
    assertEquals("self           DOWN 14.3", line(views, "n1           "));
    assertEquals("(no answer: no (UNAVAILABLE))", line(views, "n2           "));
    // The hints n1 holds for n2, and n2's missing answer.
    String hints = r.out().substring(r.out().indexOf("hinted handoff"));
    assertTrue(line(hints, "n1 ").matches(" *n2 +42 +4200 +7.5s +-"), hints);
    assertTrue(hints.contains("delivered 8 (800 bytes)"), hints);
    assertTrue(hints.contains("window 10800s"), hints);
    assertTrue(hints.contains("n2 (no answer: no (UNAVAILABLE))"), hints);
  }

  private static io.kvstore.proto.PartitionRepair partition(int p, boolean built, long ageMillis) {
    return io.kvstore.proto.PartitionRepair.newBuilder().setPartition(p).setTreeBuilt(built)
        .setFullExchangeAgeMillis(ageMillis).build();
  }

  private void statusWithAntiEntropy(long oldestMillis, List<io.kvstore.proto.PartitionRepair> ps) {
    server.status(ClusterStatusResponse.newBuilder().setNodeId("n1")
        .addMembers(Member.newBuilder().setNodeId("n1").setAddress(server.address())
            .setStatus(MemberStatus.MEMBER_STATUS_UP).setIsSelf(true))
        .setAntiEntropy(io.kvstore.proto.AntiEntropySummary.newBuilder().setPartitions(256)
            .setTreesBuilt(255).setExchanges(1024).setExchangeFailures(3).setKeysRepaired(17)
            .setBytesSent(12288).setBytesReceived(8300).setRebuilds(1).setTombstonesPurged(40)
            .setOldestFullExchangeAgeMillis(oldestMillis).addAllPartitionStates(ps))
        .build());
  }

  @Test
  void statusShowsTheAnsweringNodesAntiEntropyAndItsStalestPartitions() {
    statusWithAntiEntropy(-1, List.of(partition(0, true, 4000), partition(1, true, 134_000),
        partition(2, true, 7_380_000), partition(3, false, -1), partition(4, true, 500),
        partition(5, true, 900), partition(6, true, 61_500)));
    CliRunner.Run r = kv.run("status");
    assertEquals(0, r.code(), r.toString());
    String ae = r.out().substring(r.out().indexOf("\nanti-entropy of n1") + 1);
    assertTrue(r.out().indexOf("hinted handoff") < r.out().indexOf("anti-entropy of"), r.out());
    assertEquals(String.join("\n",
        "anti-entropy of n1 (the node that answered):",
        "trees built: 255 of 256 partitions, rebuilds from storage: 1",
        "exchanges: 1024 (3 failed), 17 keys repaired, sent 12288 bytes, received 8300 bytes",
        "tombstones purged: 40",
        "oldest full exchange: never (a partition has not yet completed an exchange with every"
            + " co-replica)",
        "PARTITION  TREE       FULL EXCHANGE",
        "3          not built  never",
        "2          built      2h03m ago",
        "1          built      2m14s ago",
        "6          built      1m01s ago",
        "0          built      4.0s ago",
        "(the 5 partitions longest without a full exchange: one with every co-replica)",
        ""), ae);
  }

  @Test
  void statusShowsTheOldestFullExchangeAgeWhenEveryPartitionHadOne() {
    statusWithAntiEntropy(7_380_000, List.of(partition(0, true, 7_380_000)));
    CliRunner.Run r = kv.run("status");
    assertEquals("2h03m ago", line(r.out(), "oldest full exchange: "));
    assertEquals("built      2h03m ago", line(r.out(), "0          "));

    server.status(ClusterStatusResponse.newBuilder().setNodeId("n1").build());
    assertTrue(kv.run("status").out().contains("anti-entropy of n1: none reported"));
  }

  @Test
  void everyCommandHasHelp() {
    for (String sub : List.of("put", "get", "delete", "status", "repair", "bench")) {
      CliRunner.Run r = kv.run(sub, "--help");
      assertEquals(0, r.code(), sub + ": " + r);
      assertTrue(r.out().startsWith("Usage: kv " + sub), r.out());
      assertTrue(r.out().contains("--nodes"), sub + " help shows the global options");
    }
    CliRunner.Run top = kv.run("--help");
    assertEquals(0, top.code());
    for (String sub : List.of("put", "get", "delete", "status", "repair", "bench")) {
      assertTrue(top.out().contains("  " + sub + " "), top.out());
    }
    assertTrue(top.out().contains("Exit codes:"), top.out());
    assertTrue(kv.run("delete", "--help").out().contains("first reads the key"));
  }

  @Test
  void badArgumentsExitWithTwoAndNameTheProblem() {
    record Case(String expected, String[] args) {}
    List<Case> cases = List.of(
        new Case("error: --r must be at least 1 (got 0)", new String[] {"get", "k", "--r", "0"}),
        new Case("error: --w must be at least 1", new String[] {"put", "k", "v", "--w", "-1"}),
        new Case("'--timeout': '5x' is not a duration", new String[] {"--timeout", "5x", "get", "k"}),
        new Case("error: --nodes: 'nohost' is not host:port", new String[] {"--nodes", "nohost", "get", "k"}),
        new Case("'--context': malformed context", new String[] {"put", "k", "v", "--context", "a+b"}),
        new Case("give the value exactly once", new String[] {"put", "k"}),
        new Case("give the value exactly once", new String[] {"put", "k", "v", "--stdin"}),
        new Case("Missing required parameter: 'KEY'", new String[] {"get"}),
        new Case("Unknown option: '--bogus'", new String[] {"get", "k", "--bogus"}),
        new Case("'--format': expected one of", new String[] {"get", "k", "--format", "xml"}),
        new Case("error: KEY must not be empty", new String[] {"get", ""}),
        new Case("error: --read-ratio must be between 0 and 1 (got 1.5)",
            new String[] {"bench", "--read-ratio", "1.5"}),
        new Case("error: --concurrency must be between 1 and 4096 (got 0)",
            new String[] {"bench", "--concurrency", "0"}),
        new Case("error: missing command", new String[] {}),
        new Case("cannot read --file", new String[] {"put", "k", "--file", "/no/such/file"}));
    for (Case c : cases) {
      CliRunner.Run r = kv.run(c.args());
      assertEquals(2, r.code(), String.join(" ", c.args()) + ": " + r);
      assertTrue(r.err().startsWith("error: "), r.toString());
      assertTrue(r.err().contains(c.expected()), String.join(" ", c.args()) + ": " + r);
      assertTrue(r.err().contains("--help' for more information"), r.toString());
      assertFalse(r.err().contains("\tat "), "no stack trace: " + r);
    }
    assertTrue(server.puts.isEmpty() && server.gets.isEmpty(), "nothing was sent");
  }

  @Test
  void anUnreachableClusterExitsWithThreeAndSaysSo() {
    String closed = FakeKvStore.closedAddress();
    CliRunner.Run r = kv.run("--nodes", closed, "get", "k");
    assertEquals(3, r.code(), r.toString());
    assertTrue(r.err().startsWith("error: cannot reach any node of " + closed + " (UNAVAILABLE: "),
        r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");

    CliRunner.Run verbose = kv.run("get", "k", "--nodes", closed, "--verbose");
    assertEquals(3, verbose.code(), verbose.toString());
    assertTrue(verbose.err().contains("\tat "), "--verbose prints the stack trace");
  }

  @Test
  void serverErrorsMapToExitCodes() {
    record Case(Status status, int exit, String text) {}
    List<Case> cases = List.of(
        new Case(Status.UNAVAILABLE.withDescription("quorum not reached: 1 of W=2 replicas acked"),
            3, "error: UNAVAILABLE: quorum not reached: 1 of W=2 replicas acked (node "),
        new Case(Status.DEADLINE_EXCEEDED, 4, "error: DEADLINE_EXCEEDED"),
        new Case(Status.INVALID_ARGUMENT.withDescription("W=5 is larger than N=3"), 5,
            "error: INVALID_ARGUMENT: W=5 is larger than N=3"),
        new Case(Status.FAILED_PRECONDITION.withDescription("too many siblings"), 6,
            "hint: read the key"),
        new Case(Status.RESOURCE_EXHAUSTED.withDescription("overloaded"), 7, "overloaded"),
        new Case(Status.INTERNAL.withDescription("bug"), 8, "error: INTERNAL: bug"));
    for (Case c : cases) {
      server.failWith("put", c.status());
      CliRunner.Run r = kv.run("put", "k", "v");
      assertEquals(c.exit(), r.code(), r.toString());
      assertTrue(r.err().contains(c.text()), r.toString());
    }
  }

  @Test
  void globalOptionsWorkBeforeOrAfterTheCommandAndOverrideTheEnvironment() {
    CliRunner.Run viaEnv = kv.run("put", "k", "v");
    assertEquals(0, viaEnv.code(), viaEnv.toString());
    CliRunner wrongEnv = new CliRunner(Map.of("KV_NODES", FakeKvStore.closedAddress()));
    assertEquals(3, wrongEnv.run("get", "k").code());
    assertEquals(0, wrongEnv.run("get", "k", "--nodes", server.address()).code());
    assertEquals(0, wrongEnv.run("--nodes", server.address(), "--timeout", "2s", "get", "k").code());
  }

  @Test
  void versionIsPrinted() {
    CliRunner.Run r = kv.run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("kv "), r.out());
    assertFalse(r.out().contains("${"), r.out());
  }

  @Test
  void tlsAndTokenOptionsAreCheckedBeforeAnyCall(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path token = dir.resolve("app.token");
    java.nio.file.Files.writeString(token, "kvt_secret\n");
    CliRunner.Run clear = kv.run("--token-file", token.toString(), "get", "k");
    assertEquals(2, clear.code(), clear.toString());
    assertTrue(clear.err().contains("a token needs TLS"), clear.err());
    assertFalse(clear.err().contains("kvt_secret"), "the error shows the token");
    CliRunner.Run missing = kv.run("--tls-ca", dir.resolve("nope.crt").toString(), "get", "k");
    assertEquals(2, missing.code(), missing.toString());
    assertTrue(missing.err().contains("--tls-ca: cannot read"), missing.err());
    java.nio.file.Path notPem = dir.resolve("bad.crt");
    java.nio.file.Files.writeString(notPem, "hello");
    CliRunner.Run bad = kv.run("--tls-ca", notPem.toString(), "get", "k");
    assertEquals(2, bad.code(), bad.toString());
    assertTrue(bad.err().contains("is not a PEM certificate") || bad.err().contains("holds no PEM"),
        bad.err());
    assertTrue(server.gets.isEmpty(), "a refused command line reached the node");
  }
}
