package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.checker.Checker;
import io.kvstore.clustertests.checker.Report;
import io.kvstore.clustertests.checker.Summary;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.History;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario: the workload and the nemesis side by side, then heal, settle, the final
 * reads, the checkers, and the run's files (history.jsonl, summary.txt, timeline.png; node logs
 * when a checker failed) under {@code target/fault-suite/<scenario>/}.
 */
final class ScenarioRunner {
  /** What a run produced. */
  record Outcome(Scenario scenario, History history, List<CheckResult> results, Path dir) {
    CheckResult result(String name) {
      return results.stream().filter(r -> r.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no checker " + name));
    }
  }

  private final ContainerCluster cluster;
  private final Path outputRoot;
  private final int n;

  ScenarioRunner(ContainerCluster cluster, Path outputRoot, int n) {
    this.cluster = cluster;
    this.outputRoot = outputRoot;
    this.n = n;
  }

  Outcome run(Scenario s, List<Checker> checkers) throws Exception {
    History history = History.startNow(s.seed(), s.name());
    List<String> keys = List.of(s.name() + "-a", s.name() + "-b", s.name() + "-c");
    SetAddWorkload workload = new SetAddWorkload(cluster, history, keys, s.negativeControl(),
        s.seed(), Duration.ofSeconds(2));
    Nemesis nemesis = new Nemesis(cluster, history, s.nemesis(), s.seed(), s.faultPeriod());
    Thread nemesisThread = new Thread(nemesis, "nemesis");
    List<Throwable> nemesisErrors = new ArrayList<>();
    nemesisThread.setUncaughtExceptionHandler((t, e) -> nemesisErrors.add(e));
    nemesisThread.start();
    try {
      workload.run(s.duration());
    } finally {
      nemesis.healAll();
      nemesisThread.join();
    }
    if (!nemesisErrors.isEmpty()) {
      throw new IllegalStateException("nemesis failed", nemesisErrors.getFirst());
    }
    Thread.sleep(3000); // let in-flight replication and read repair settle after the heal
    FinalReads.record(cluster, history, workload.usedKeys(), n);
    List<CheckResult> results = new ArrayList<>();
    for (Checker c : checkers) {
      results.add(c.check(history));
    }
    Path dir = Report.write(outputRoot, s.name(), history, results);
    System.out.println(Summary.of(s.name(), history, results).line());
    if (results.stream().anyMatch(r -> !r.passed()) && !s.negativeControl()) {
      cluster.saveLogs(dir.resolve("node-logs"));
    }
    return new Outcome(s, history, results, dir);
  }
}
