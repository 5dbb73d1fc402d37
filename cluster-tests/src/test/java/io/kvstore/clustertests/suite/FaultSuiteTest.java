package io.kvstore.clustertests.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.client.Context;
import io.kvstore.clustertests.availability.OpClass;
import io.kvstore.clustertests.checker.AvailabilityChecker;
import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.checker.Checker;
import io.kvstore.clustertests.checker.ClockChecker;
import io.kvstore.clustertests.checker.LostWritesChecker;
import io.kvstore.clustertests.checker.ReadAfterWriteChecker;
import io.kvstore.clustertests.checker.ResurrectionChecker;
import io.kvstore.clustertests.checker.SanityChecker;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.harness.NodeSettings;
import io.kvstore.clustertests.harness.DockerGate;
import io.kvstore.node.versioning.CausalContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Jepsen-style suite (FAULT-SUITE.md): five real node containers (N=3, R=W=2), the set-add,
 * register and delete workloads, one nemesis per scenario, and checkers over the recorded
 * history. The negative control runs first and must fail C1 and C4: otherwise the harness could
 * not see a lost write or a resurrected value.
 *
 * <p>Every fault scenario enforces C1, C2 (replicas converge by hinted handoff and anti-entropy,
 * shown by raw polls before any client read), C3, C4, C5, the sanity checks, the hint drain and
 * the availability floors; the nodes run anti-entropy at the suite's time scale (exchanges every
 * ~3 s, tombstone grace 5 s, hint window 30 s: {@link NodeSettings#HINT_WINDOW_MS}). The kill
 * scenario must delete keys while one of their replicas is down past the grace; the restore
 * scenario ({@link NemesisKind#RESTORE_BACKUP}) must roll a node back and give it a new actor
 * epoch. At the end C4 is judged again on every scenario after tombstone purge, and some
 * deleted key must have been purged on every replica.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {
  private static final Path REPO =
      Path.of(System.getenv().getOrDefault("KV_REPO", "..")).toAbsolutePath();
  private static final Path OUT = Path.of("target", "fault-suite");
  private static final int N = 3;
  /** Acknowledged client operations a scenario needs for its verdict to mean something. */
  private static final int MIN_ACKED = 100;
  /** And acknowledged writes of each kind (add, register write, delete). */
  private static final int MIN_ACKED_PER_WRITE = 20;
  private static final long SEED = Long.getLong("kv.faultSeed", System.nanoTime());
  /**
   * The availability floors, per fault window, for the all-nodes client: its reads' success
   * share where a quorum of primaries stays reachable ({@code -Dkv.availabilityFloor}), its
   * writes' success share where writes must stay available ({@code -Dkv.availabilityWriteFloor}),
   * and for each its ok/s there over the time before ({@code -Dkv.availabilityThroughputFloor}).
   *
   * <p>Reads keep 0.98, which leaves room for the requests in flight on a node at the instant it
   * was paused or killed: measured 99.7% and more per window (all operations), against 72-91%
   * before failure detection and routing. Writes get 0.99 and more windows: with sloppy quorum
   * (DESIGN.md 4) a write is refused only when fewer than W nodes of its whole preference list
   * are reachable, so in a window of one node killed, paused or isolated, and with two of a
   * key's three primaries down ({@link NemesisKind#PRIMARIES_DOWN}), a client that knows every
   * node must see its writes succeed all but the few in flight at the fault's instant (a write
   * is never resent blindly). Reads are not held to a floor with two primaries down (only
   * reported): at R=2 one answer would have to come from a fallback, which DESIGN.md 4 does not
   * promise. The two floors together imply the former single floor of 0.98 over all operations.
   */
  private static final double AVAILABILITY_FLOOR =
      Double.parseDouble(System.getProperty("kv.availabilityFloor", "0.98"));
  private static final double WRITE_AVAILABILITY_FLOOR =
      Double.parseDouble(System.getProperty("kv.availabilityWriteFloor", "0.99"));
  private static final double THROUGHPUT_FLOOR =
      Double.parseDouble(System.getProperty("kv.availabilityThroughputFloor", "0.5"));
  /** Enforced unless {@code -Dkv.enforceAvailability=false} (then run and reported only). */
  private static final boolean ENFORCE_AVAILABILITY =
      Boolean.parseBoolean(System.getProperty("kv.enforceAvailability", "true"));

  /** How long the check after purge may wait for overdue purges ({@code -Dkv.purgeWaitSeconds}). */
  private static final Duration PURGE_WAIT =
      Duration.ofSeconds(Long.getLong("kv.purgeWaitSeconds", 6));

  private static ContainerCluster cluster;
  private static ScenarioRunner runner;
  /** Every scenario run so far, for the check after purge. */
  private static final List<ScenarioRunner.Outcome> RUNS = new ArrayList<>();

  @BeforeAll
  static void startCluster() {
    DockerGate.requireDocker();
    System.out.println("fault suite seed " + SEED + " (rerun with -Dkv.faultSeed=" + SEED + ")");
    cluster = new ContainerCluster(REPO, 5, N, 2, 2);
    cluster.start();
    String cut = System.getProperty("kv.cutMethod", "");
    if (!cut.isBlank()) {
      cluster.useCutMethod(ContainerCluster.CutMethod.valueOf(cut.trim().toUpperCase(Locale.ROOT)));
    }
    System.out.println("partitions cut links by " + cluster.cutMethod());
    runner = new ScenarioRunner(cluster, OUT, N);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * Enforced on live runs: C1, C3 (for pairs where nothing was sloppy; sloppy stale reads are
   * counted apart), C4 (judged on the final state, after anti-entropy converged the replicas and
   * purged the tombstones it could), C5, the sanity checks and the availability floors (reported
   * only with {@code -Dkv.enforceAvailability=false}). The runner adds C2 (convergence by hinted
   * handoff and anti-entropy, polled before any final read) and the hint drain after the heal
   * and, with two primaries down, the PW=2 control.
   */
  static List<Checker> checkers() {
    List<Checker> enforced = new ArrayList<>(List.of(new LostWritesChecker(),
        new ReadAfterWriteChecker(N), new ResurrectionChecker(),
        new ClockChecker(w -> true, FaultSuiteTest::decodeContext),
        new SanityChecker(MIN_ACKED, MIN_ACKED_PER_WRITE)));
    if (ENFORCE_AVAILABILITY) {
      enforced.addAll(availability());
    }
    return enforced;
  }

  /**
   * The availability floors: reads over the windows of faults that leave a quorum of primaries
   * reachable, writes over those of faults under which writes must stay available.
   */
  static List<Checker> availability() {
    return List.of(
        new AvailabilityChecker("availability reads", OpClass.READS,
            nemeses(NemesisKind::quorumStaysReachable), AVAILABILITY_FLOOR, THROUGHPUT_FLOOR),
        new AvailabilityChecker("availability writes", OpClass.WRITES,
            nemeses(NemesisKind::writesStayAvailable), WRITE_AVAILABILITY_FLOOR, THROUGHPUT_FLOOR));
  }

  private static Set<String> nemeses(Predicate<NemesisKind> which) {
    return Arrays.stream(NemesisKind.values()).filter(which).map(NemesisKind::historyName)
        .collect(Collectors.toSet());
  }

  /** A client context as the history records it (base64) to its version vector. */
  static Map<String, Long> decodeContext(String base64) {
    Map<String, Long> clock = new TreeMap<>();
    CausalContext.decode(Context.fromBase64(base64).toBytes()).vector().entries()
        .forEach((actor, counter) -> clock.put(actor.toString(), counter));
    return clock;
  }

  /** Run and written to each summary, not enforced (see {@link #checkers()}). */
  static List<Checker> reported() {
    List<Checker> info = new ArrayList<>();
    if (!ENFORCE_AVAILABILITY) {
      info.addAll(availability());
    }
    return info;
  }

  /** {@link #reported()}, and with two primaries down the read floor, shown, not promised. */
  static List<Checker> reported(NemesisKind kind) {
    List<Checker> info = new ArrayList<>(reported());
    if (kind == NemesisKind.PRIMARIES_DOWN) {
      info.add(new AvailabilityChecker("availability reads, primaries down", OpClass.READS,
          Set.of(kind.historyName()), AVAILABILITY_FLOOR, THROUGHPUT_FLOOR));
    }
    return info;
  }

  @Test
  @Order(1)
  void negativeControlLosesAndResurrectsAndTheCheckersSeeIt() throws Exception {
    ScenarioRunner.Outcome o = runner.run(new Scenario("negative-control", NemesisKind.NONE,
        true, Duration.ofSeconds(20), Duration.ofSeconds(10), SEED), checkers(), reported());
    RUNS.add(o);
    CheckResult c1 = o.result(LostWritesChecker.NAME);
    assertFalse(c1.passed(), "the negative control must fail C1, or the harness is blind: " + c1);
    assertTrue(c1.count("lost") > 0, c1.toString());
    CheckResult control = SanityChecker.negativeControl(c1);
    assertTrue(control.passed(), control.toString());
    CheckResult c4 = o.result(ResurrectionChecker.NAME);
    assertTrue(c4.count("resurrected") > 0,
        "values re-added behind the history's back must look resurrected to C4: " + c4);
  }

  /** The fault scenarios; {@code -Dkv.scenarios=KILL,PAUSE} runs a subset. */
  static List<NemesisKind> scenarios() {
    String only = System.getProperty("kv.scenarios", "");
    return Arrays.stream(NemesisKind.values())
        .filter(k -> k != NemesisKind.NONE)
        .filter(k -> only.isBlank() || Arrays.asList(only.toUpperCase().split(",")).contains(k.name()))
        .toList();
  }

  /**
   * A fault scenario: the workload for the profile's duration with a fault every ~10 s; with two
   * primaries down ({@link NemesisKind#PRIMARIES_DOWN}), 45 s whatever the profile with one
   * window from 11 s on: 18 s, then the killed node's restart (a few seconds more with both
   * down), about 20 s in all (the whole scenario, heal and checks included, about a minute). A
   * restored data directory ({@link NemesisKind#RESTORE_BACKUP}) also runs 45 s whatever the
   * profile: its copy must not outlive the tombstone grace + hint window before it is restored
   * ({@link Nemesis#RESTORE_BACKUP_AGE}), and its two windows fit in 45 s.
   */
  static Scenario scenario(NemesisKind kind) {
    long seed = SEED + kind.ordinal();
    return switch (kind) {
      case PRIMARIES_DOWN -> new Scenario(kind.historyName(), kind, false, Duration.ofSeconds(45),
          Duration.ofSeconds(18), seed);
      case RESTORE_BACKUP -> new Scenario(kind.historyName(), kind, false,
          Duration.ofSeconds(45), Duration.ofSeconds(10), seed);
      default -> new Scenario(kind.historyName(), kind, false, Scenario.profileDuration(),
          Duration.ofSeconds(10), seed);
    };
  }

  /**
   * Every fault scenario must keep every acknowledged write (C1) and pass every enforced check;
   * with two of three primaries down that includes writes staying available by sloppy quorum
   * while the PW=2 control is refused.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  @Order(2)
  void storeKeepsEveryAcknowledgedWriteUnderFaults(NemesisKind kind) throws Exception {
    String name = kind.historyName();
    ScenarioRunner.Outcome o = runner.run(scenario(kind), checkers(), reported(kind));
    RUNS.add(o);
    assertTrue(o.history().faults().size() >= 1, name + ": no fault was injected");
    if (kind.singleWindow()) {
      assertEquals(1, o.history().faults().size(), name + ": " + o.history().faults());
    }
    if (kind == NemesisKind.RESTORE_BACKUP) {
      assertEquals(2, o.history().faults().size(), name + ": " + o.history().faults());
    }
    if (kind == NemesisKind.KILL) {
      CheckResult outages = o.result(OutageDeletes.NAME);
      assertTrue(outages.count("downPastGrace") > 0, name + ": no acknowledged delete had a"
          + " replica of its key down for longer than the tombstone grace after it, so C4 did"
          + " not see that case: " + outages);
    }
    for (CheckResult r : o.results()) {
      assertTrue(r.passed(), name + ": " + r + "; history and node logs in " + o.dir());
    }
  }

  /**
   * C4 after tombstone purge ({@link AfterPurge}): at the end, every value any scenario's
   * acknowledged deletes covered is still not live on any replica of its key, now that the
   * scenarios run since gave the tombstones time to be purged; and purges did happen (some
   * deleted key of some scenario is held by none of its replicas any more).
   */
  @Test
  @Order(3)
  void deletedValuesStayDeletedAfterTheirTombstonesArePurged() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        RUNS.stream().anyMatch(o -> !o.scenario().negativeControl()), "no fault scenario ran");
    Map<String, CheckResult> after = AfterPurge.check(cluster, RUNS, PURGE_WAIT);
    AfterPurge.lines(after).forEach(l -> System.out.println("after purge: " + l));
    after.forEach((scenario, r) -> r.notes().forEach(n ->
        System.out.println("after purge: " + scenario + ": " + n)));
    long purged = after.values().stream().mapToLong(r -> r.count("keysPurged")).sum();
    assertTrue(purged > 0, "no deleted key was purged on all its replicas by the end: " + after);
    after.forEach((scenario, r) -> assertTrue(r.passed(), scenario + ": " + r));
  }
}
