package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import java.util.List;
import java.util.Map;

/**
 * How many acknowledged deletes happened while one of their key's replicas was down (killed or
 * stopped by the nemesis), and how many of those stayed down past the tombstone grace after the
 * delete: the deletes whose tombstones the live replicas would purge if purge trusted the grace
 * alone. C4 judging those keys after the heal (and after the purges that followed) is what shows
 * that a replica down past the grace does not bring a deleted value back. A report (no
 * anomalies); the kill scenario requires some {@code downPastGrace} deletes.
 */
final class OutageDeletes {
  static final String NAME = "deletes across outages";

  private OutageDeletes() {}

  /**
   * @param down fault window id -> the nodes (indexes) it killed or stopped
   * @param replicas key -> its replica nodes (indexes)
   * @param graceNanos the tombstone grace
   */
  static CheckResult count(History history, Map<Integer, List<Integer>> down,
      Map<String, List<Integer>> replicas, long graceNanos) {
    CheckResult.Builder r = CheckResult.builder(NAME).count("outages", down.size())
        .count("deletes", 0).count("deletesWithReplicaDown", 0).count("downPastGrace", 0)
        .count("graceMillis", graceNanos / 1_000_000);
    List<FaultWindow> windows = history.faults();
    for (OpPair d : history.pairs()) {
      if (d.f() != Op.F.DELETE || !d.isOk()) {
        continue;
      }
      r.add("deletes", 1);
      List<Integer> keyReplicas = replicas.getOrDefault(d.key(), List.of());
      boolean duringOutage = false;
      boolean pastGrace = false;
      for (FaultWindow w : windows) {
        List<Integer> nodes = down.getOrDefault(w.id(), List.of());
        if (w.isOpen() || nodes.stream().noneMatch(keyReplicas::contains)
            || d.start() < w.startNanos() || d.end() > w.endNanos()) {
          continue;
        }
        duringOutage = true;
        pastGrace |= w.endNanos() - d.end() > graceNanos;
      }
      r.add("deletesWithReplicaDown", duringOutage ? 1 : 0).add("downPastGrace", pastGrace ? 1 : 0);
    }
    return r.build();
  }
}
