package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.checker.ResurrectionChecker;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.harness.NodeSettings;
import io.kvstore.clustertests.history.HistoryWriter;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * C4 once more at the end of the suite, after tombstone purge. A scenario's own checks come a few
 * seconds after its heal, when only the tombstones of its first seconds can be purged (a purge
 * waits for grace + hint window after the delete, see {@link NodeSettings#HINT_WINDOW_MS});
 * by the end of the suite the scenarios run since have given the others minutes. So, for every
 * scenario run, the raw state of every replica of every key it deleted is read again (recorded in
 * its history, which is written again) and C4 judged again on it: a value its deletes covered
 * must not be live on any replica now that the tombstones are gone.
 *
 * <p>Keys whose last delete is older than {@link #EXPECTED_PURGED} should be purged by now; while
 * one of them is held as tombstones only by some replica, the reads are repeated every {@link
 * #ROUND}, for at most {@code wait}, for stragglers (a node restarted late in the suite forgot
 * its exchanges and needs a hint window again). Purge is reported (keys purged on every replica,
 * keys still held as tombstones, and a note per overdue key naming the replicas that still hold
 * it), not enforced per key: a node restarted late in the suite purges only a hint window after
 * its first exchanges (its exchange log starts empty), so such keys can be left.
 */
final class AfterPurge {
  static final String NAME = "C4 after purge";
  static final Duration ROUND = Duration.ofSeconds(2);
  /** Grace + hint window + a few exchanges and the purge after them. */
  static final Duration EXPECTED_PURGED = Duration.ofMillis(NodeSettings.TOMBSTONE_GRACE_MS
      + NodeSettings.HINT_WINDOW_MS + 4L * NodeSettings.AE_EXCHANGE_INTERVAL_MS);

  private AfterPurge() {}

  /** Judges every outcome (the negative control excluded) again; returns scenario -> result. */
  static Map<String, CheckResult> check(ContainerCluster cluster, List<ScenarioRunner.Outcome> runs,
      Duration wait) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    Map<ScenarioRunner.Outcome, Map<String, List<Integer>>> keys = new LinkedHashMap<>();
    for (ScenarioRunner.Outcome o : runs) {
      if (!o.scenario().negativeControl()) {
        keys.put(o, deletedKeys(o));
      }
    }
    int rounds = 0;
    Map<ScenarioRunner.Outcome, Integer> tombstonesLeft = new LinkedHashMap<>();
    Map<ScenarioRunner.Outcome, List<String>> overdueNotes = new LinkedHashMap<>();
    while (true) {
      rounds++;
      boolean overdue = false;
      for (Map.Entry<ScenarioRunner.Outcome, Map<String, List<Integer>>> e : keys.entrySet()) {
        ScenarioRunner.Outcome o = e.getKey();
        long expectedBy = o.history().now() - EXPECTED_PURGED.toNanos();
        Map<String, Long> lastDelete = lastDeletes(o);
        int left = 0;
        List<String> late = new ArrayList<>();
        try (RawReader raw = new RawReader(cluster, o.history())) {
          for (Map.Entry<String, List<Integer>> k : e.getValue().entrySet()) {
            List<String> holders = new ArrayList<>();
            List<String> purged = new ArrayList<>();
            for (int node : k.getValue()) {
              List<RawSibling> s = raw.read(k.getKey(), node);
              if (s != null && !s.isEmpty() && s.stream().allMatch(RawSibling::tombstone)) {
                holders.add(ContainerCluster.nodeId(node));
              } else if (s != null && s.isEmpty()) {
                purged.add(ContainerCluster.nodeId(node));
              }
            }
            long deleted = lastDelete.getOrDefault(k.getKey(), Long.MAX_VALUE);
            if (!holders.isEmpty()) {
              left++;
              if (deleted < expectedBy) {
                overdue = true;
                late.add("key " + k.getKey() + ", last deleted "
                    + (o.history().now() - deleted) / 1_000_000_000 + " s ago: tombstones on "
                    + holders + ", purged on " + purged);
              }
            }
          }
        }
        tombstonesLeft.put(o, left);
        overdueNotes.put(o, late);
      }
      if (!overdue || System.nanoTime() + ROUND.toNanos() > deadline) {
        break;
      }
      Thread.sleep(ROUND.toMillis());
    }
    Map<String, CheckResult> out = new LinkedHashMap<>();
    for (ScenarioRunner.Outcome o : keys.keySet()) {
      CheckResult c4 = new ResurrectionChecker().check(o.history());
      CheckResult.Builder b = CheckResult.builder(NAME);
      c4.counts().forEach(b::count);
      b.count("deletedKeys", keys.get(o).size()).count("tombstoneKeysLeft", tombstonesLeft.get(o))
          .count("overdueTombstoneKeys", overdueNotes.get(o).size()).count("rounds", rounds);
      c4.anomalies().forEach(b::anomaly);
      overdueNotes.get(o).forEach(n -> b.note("not purged " + EXPECTED_PURGED.toSeconds()
          + " s after the delete: " + n));
      CheckResult r = b.build();
      out.put(o.scenario().name(), r);
      HistoryWriter.write(o.history(), o.dir().resolve("history.jsonl"));
      Files.writeString(o.dir().resolve("summary.txt"), "\nAt the end of the suite, after"
          + " tombstone purge (raw reads of every replica of every deleted key, in the history):\n"
          + r.name() + ": " + r.verdict() + "\n  " + r.counts() + "\n"
          + lines("anomaly", r.anomalies()) + lines("note", r.notes()),
          StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
    return out;
  }

  /** The scenario's keys with an acknowledged delete, and their replicas. */
  private static Map<String, List<Integer>> deletedKeys(ScenarioRunner.Outcome o) {
    Map<String, List<Integer>> m = new LinkedHashMap<>();
    for (String key : lastDeletes(o).keySet()) {
      m.put(key, o.replicas().getOrDefault(key, List.of()));
    }
    return m;
  }

  /** Key -> when its last acknowledged delete completed (the history's clock). */
  private static Map<String, Long> lastDeletes(ScenarioRunner.Outcome o) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (OpPair p : o.history().pairs()) {
      if (p.f() == Op.F.DELETE && p.isOk()) {
        m.merge(p.key(), p.end(), Math::max);
      }
    }
    return m;
  }

  private static String lines(String kind, List<String> items) {
    StringBuilder b = new StringBuilder();
    items.stream().limit(50).forEach(i -> b.append("  ").append(kind).append(": ").append(i)
        .append("\n"));
    return b.toString();
  }

  static List<String> lines(Map<String, CheckResult> results) {
    List<String> out = new ArrayList<>();
    results.forEach((scenario, r) -> out.add(scenario + ": " + r));
    return out;
  }
}
