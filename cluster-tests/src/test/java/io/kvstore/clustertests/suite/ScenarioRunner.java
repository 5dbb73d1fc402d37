package io.kvstore.clustertests.suite;

import io.kvstore.client.KvClient;
import io.kvstore.clustertests.availability.Availability;
import io.kvstore.clustertests.availability.AvailabilityTable;
import io.kvstore.clustertests.checker.AntiEntropyStats;
import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.checker.Checker;
import io.kvstore.clustertests.checker.ConvergenceChecker;
import io.kvstore.clustertests.checker.HintDrain;
import io.kvstore.clustertests.checker.Report;
import io.kvstore.clustertests.checker.Summary;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.harness.NodeSettings;
import io.kvstore.clustertests.history.History;
import io.kvstore.ring.Ring;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs a scenario: the workloads and the nemesis side by side, then heal, the hint drain, C2's
 * polls of every replica's raw state (before any client read, so that no read repair helps), the
 * final reads, the checkers, and the run's files (history.jsonl, summary.txt, timeline.png; node
 * logs when an enforced checker failed) under {@code target/fault-suite/<scenario>/}.
 *
 * <p>A fault scenario mixes the three workloads of FAULT-SUITE.md on their own keys: set-add
 * (C1), register and delete (C3, C4). The negative control runs set-add with a client that drops
 * siblings (C1 must see lost writes) and delete with an unrecorded re-add (C4 must see a
 * resurrection).
 */
final class ScenarioRunner {
  /** What a run produced. */
  record Outcome(Scenario scenario, History history, List<CheckResult> results,
      List<CheckResult> reported, Path dir, Map<String, List<Integer>> replicas) {
    /** The result of the named checker, enforced or reported. */
    CheckResult result(String name) {
      return java.util.stream.Stream.concat(results.stream(), reported.stream())
          .filter(r -> r.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no checker " + name));
    }
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  /** How long after the final heal the hint queues may take to drain (-Dkv.hintDrainSeconds). */
  static final Duration HINT_DRAIN_BOUND =
      Duration.ofSeconds(Long.getLong("kv.hintDrainSeconds", 60));
  /**
   * How long after the final heal every replica of every key may take to hold the same sibling
   * set (C2; -Dkv.convergenceSeconds).
   */
  static final Duration CONVERGENCE_BOUND =
      Duration.ofSeconds(Long.getLong("kv.convergenceSeconds", 30));

  private final ContainerCluster cluster;
  private final Path outputRoot;
  private final int n;

  ScenarioRunner(ContainerCluster cluster, Path outputRoot, int n) {
    this.cluster = cluster;
    this.outputRoot = outputRoot;
    this.n = n;
  }

  /**
   * Runs {@code s}; {@code checkers} decide the run, {@code reported} are run and written to
   * the summary for information only. Besides the checkers over the history, the harness judges
   * the hint drain after the heal ({@link HintDrain}) and C2 over its polls ({@link
   * ConvergenceChecker}: every replica of every key, from the heal, bound {@link
   * #CONVERGENCE_BOUND}, hint queues empty after the polls), both enforced in every scenario with
   * faults and reported in the negative control; for {@link NemesisKind#PRIMARIES_DOWN}, the
   * PW=2 control ({@link PrimaryControlWriter}, enforced); for {@link
   * NemesisKind#RESTORE_BACKUP}, that the restore rolled the node back and gave it a new actor
   * epoch ({@link RestoreProbe}, enforced). Reported too: what anti-entropy did
   * ({@link AntiEntropyStats}: exchanges, repairs, tombstones purged) and the deletes made while
   * a replica of their key was down ({@link OutageDeletes}).
   */
  Outcome run(Scenario s, List<Checker> checkers, List<Checker> reported) throws Exception {
    Map<String, HintDrain.NodeHints> hintsBefore = HintPoller.snapshot(cluster);
    NodeStatuses statusBefore = NodeStatuses.poll(cluster);
    Ring ring = RingView.of(cluster);
    History history = History.startNow(s.seed(), s.name());
    long start = System.nanoTime();
    UnaryOperator<String> place = UnaryOperator.identity();
    Nemesis.PrimariesDown plan = null;
    PrimaryControlWriter control = null;
    if (s.nemesis() == NemesisKind.PRIMARIES_DOWN) {
      KeyPlacer placer = placer(s);
      place = placer;
      plan = primariesDown(s, placer);
      control = (PrimaryControlWriter) plan.whileDown();
    }
    SetAddWorkload setAdd = new SetAddWorkload(
        new RotatingKeys(List.of(s.name() + "-set-a", s.name() + "-set-b", s.name() + "-set-c"),
            start, place), s.negativeControl());
    DeleteWorkload delete = new DeleteWorkload(
        new RotatingKeys(List.of(s.name() + "-del-a", s.name() + "-del-b"), start, place),
        s.negativeControl());
    List<WorkloadMix.Share> shares = new ArrayList<>(List.of(new WorkloadMix.Share(setAdd, 0.55),
        new WorkloadMix.Share(delete, 0.15)));
    if (!s.negativeControl()) {
      shares.add(new WorkloadMix.Share(new RegisterWorkload(
          new RotatingKeys(List.of(s.name() + "-reg-a", s.name() + "-reg-b"), start, place)), 0.3));
    }
    // With two primaries down the reads of the other workloads may be refused while writes are
    // not: a write stream that never reads measures write availability on its own.
    Workload writer = s.nemesis() != NemesisKind.PRIMARIES_DOWN ? null : new WriteStreamWorkload(
        new RotatingKeys(List.of(s.name() + "-wr-a", s.name() + "-wr-b"), start, place));
    WorkloadMix mix = new WorkloadMix(cluster, history, s.seed(), TIMEOUT, shares, writer);
    if (s.negativeControl()) {
      try (KvClient a = cluster.client(0, TIMEOUT); KvClient b = cluster.client(1, TIMEOUT)) {
        setAdd.forceSiblings(mix.ops(a, 0, 1), mix.ops(b, 1, 1));
      }
    }
    RawReader raw = new RawReader(cluster, history);
    RestoreProbe restore = s.nemesis() != NemesisKind.RESTORE_BACKUP ? null
        : new RestoreProbe(cluster, history, raw, () -> replicas(ring, mix.usedKeys()));
    Nemesis nemesis = new Nemesis(cluster, history, s.nemesis(), s.seed(), s.faultPeriod(), plan,
        restore == null ? RestoreHooks.NONE : restore);
    Thread nemesisThread = new Thread(nemesis, "nemesis");
    List<Throwable> nemesisErrors = new ArrayList<>();
    nemesisThread.setUncaughtExceptionHandler((t, e) -> nemesisErrors.add(e));
    CheckResult drain;
    ConvergencePoller.Result polls;
    NodeStatuses afterPolls;
    NodeStatuses end;
    Map<String, List<Integer>> replicas;
    long heal;
    try (raw) {
      long loadEnd = System.nanoTime() + s.duration().toNanos();
      nemesis.lastStart(loadEnd);
      nemesisThread.start();
      try {
        mix.run(loadEnd);
      } finally {
        nemesis.healAll();
        nemesisThread.join();
      }
      if (!nemesisErrors.isEmpty()) {
        throw new IllegalStateException("nemesis failed", nemesisErrors.getFirst());
      }
      heal = history.now();
      drain = HintDrain.judge(hintsBefore, HintPoller.drain(cluster, HINT_DRAIN_BOUND),
          HINT_DRAIN_BOUND.toNanos());
      replicas = replicas(ring, mix.usedKeys());
      polls = ConvergencePoller.poll(raw, history, replicas, heal, CONVERGENCE_BOUND);
      afterPolls = NodeStatuses.poll(cluster);
      FinalReads.record(cluster, history, raw, replicas, n);
      end = NodeStatuses.poll(cluster);
    }
    List<CheckResult> results = check(checkers, history);
    List<CheckResult> info = check(reported, history);
    boolean faults = s.nemesis() != NemesisKind.NONE;
    CheckResult c2 = new ConvergenceChecker(heal, CONVERGENCE_BOUND.toNanos(),
        afterPolls.hintsQueued(), names(replicas)).check(history);
    (faults ? results : info).add(c2);
    (faults ? results : info).add(drain);
    if (control != null) {
      results.add(control.result());
    }
    if (restore != null) {
      results.add(restore.result());
    }
    CheckResult ae = AntiEntropyStats.report(statusBefore.antiEntropy(), end.antiEntropy(),
        end.failed());
    CheckResult outages = OutageDeletes.count(history, nemesis.downNodes(), replicas,
        NodeSettings.TOMBSTONE_GRACE_MS * 1_000_000L);
    info.add(ae);
    info.add(outages);
    Path dir = Report.write(outputRoot, s.name(), history, results, info);
    System.out.println(Summary.of(s.name(), history, results, info).line());
    System.out.println(AvailabilityTable.digest(Availability.of(history)));
    System.out.println("  " + drain);
    System.out.println("  " + c2 + " (" + polls.rounds() + " rounds of raw polls, "
        + polls.stable() + "/" + polls.keys() + " keys stable)");
    if (control != null) {
      System.out.println("  " + control.result());
    }
    if (restore != null) {
      System.out.println("  " + restore.result());
    }
    info.forEach(r -> System.out.println("  reported, not enforced: " + r));
    if (results.stream().anyMatch(r -> !r.passed()) && !s.negativeControl()) {
      cluster.saveLogs(dir.resolve("node-logs"));
    }
    return new Outcome(s, history, results, info, dir, replicas);
  }

  /**
   * Keys for {@link NemesisKind#PRIMARIES_DOWN}: all on one partition's preference list, picked
   * by the seed from the ring the nodes use (recomputed here and checked against their status).
   */
  private KeyPlacer placer(Scenario s) {
    Ring ring = RingView.of(cluster);
    int partition = new Random(s.seed() ^ 0x72696e67L).nextInt(ring.partitionCount());
    KeyPlacer placer = new KeyPlacer(ring, partition, n);
    System.out.println(s.name() + ": every key on partition " + partition + " of " + ring
        + ": primaries " + placer.primaries() + ", fallbacks " + placer.fallbacks());
    return placer;
  }

  /** Which two primaries go down (by the seed), how, and the PW=2 control meanwhile. */
  private Nemesis.PrimariesDown primariesDown(Scenario s, KeyPlacer placer) {
    List<Integer> primaries = new ArrayList<>();
    placer.primaries().forEach(id -> primaries.add(cluster.indexOf(id.id())));
    Collections.shuffle(primaries, new Random(s.seed() ^ 0x646f776eL));
    int killed = primaries.get(0);
    int paused = primaries.get(1);
    String claim = "kill -9 " + ContainerCluster.nodeId(killed) + " + SIGSTOP "
        + ContainerCluster.nodeId(paused) + ": two of the primaries " + placer.primaries()
        + " of every key, " + ContainerCluster.nodeId(primaries.get(2)) + " left, fallbacks "
        + placer.fallbacks();
    List<Integer> live = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      if (i != killed && i != paused) {
        live.add(i);
      }
    }
    List<String> controlKeys = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      controlKeys.add(placer.apply(s.name() + "-pw2-control-" + i));
    }
    PrimaryControlWriter control = new PrimaryControlWriter(cluster, live,
        Set.of(ContainerCluster.nodeId(killed), ContainerCluster.nodeId(paused)), controlKeys,
        claim);
    return new Nemesis.PrimariesDown(killed, paused, claim, control);
  }

  /** Key -> the indexes of its N primary replicas, by the ring the nodes use. */
  private Map<String, List<Integer>> replicas(Ring ring, List<String> keys) {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (String key : keys) {
      m.put(key, ring.preferenceList(ClientOps.bytes(key), n).stream()
          .map(id -> cluster.indexOf(id.id())).toList());
    }
    return m;
  }

  /** The same with node names ("n1"), for C2. */
  private static Map<String, Set<String>> names(Map<String, List<Integer>> replicas) {
    Map<String, Set<String>> m = new LinkedHashMap<>();
    replicas.forEach((key, nodes) -> m.put(key, nodes.stream().map(ContainerCluster::nodeId)
        .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))));
    return m;
  }

  private static List<CheckResult> check(List<Checker> checkers, History history) {
    List<CheckResult> results = new ArrayList<>();
    for (Checker c : checkers) {
      results.add(c.check(history));
    }
    return results;
  }
}
