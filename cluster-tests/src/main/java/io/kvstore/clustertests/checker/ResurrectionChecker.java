package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * C4, no resurrection (FAULT-SUITE.md), for the delete workload. After convergence (the end of
 * the run), no replica holds a live value that an acknowledged delete's context covered. What a
 * delete covered is judged conservatively from the history by {@link DeleteCoverage}: the values
 * observed by the read (or written by the write) whose context the delete carried, each written
 * exactly once; values re-added later are excluded, because the re-add is a new sibling.
 *
 * <p>The final state is each replica's last successful raw read (RAW_READ; tombstones are not
 * live) and every successful final read (FINAL_READ), each invoked after the delete completed.
 * A key whose covered values are checked but that has no such read is noted, not failed (C1/C2
 * demand final reads).
 *
 * <p>Tombstone purge: a key whose every replica's last raw read holds nothing at all (no live
 * sibling, no tombstone) was purged; C4 judging it after the purge is what shows that a purge did
 * not let a deleted value back. Counted: {@code keysPurged} (keys with checked values purged on
 * every replica read) and {@code checkedAfterPurge} (checked values on those keys).
 *
 * <p>Thread safety: immutable.
 */
public final class ResurrectionChecker implements Checker {
  public static final String NAME = "C4 no resurrection";

  @Override
  public CheckResult check(History history) {
    List<OpPair> pairs = history.pairs();
    DeleteCoverage dc = DeleteCoverage.of(pairs);
    CheckResult.Builder r = CheckResult.builder(NAME).count("deletesAcknowledged", dc.acknowledged)
        .count("deletesWithoutSource", dc.withoutSource).count("coveredValues", dc.covered)
        .count("excludedRewritten", dc.excluded).count("checkedValues", dc.checkable.size())
        .count("resurrected", 0).count("keysPurged", 0).count("checkedAfterPurge", 0);
    dc.notes.forEach(r::note);
    Map<String, Map<String, OpPair>> raws = FinalViews.lastRawReads(pairs);
    Map<String, List<OpPair>> finals = FinalViews.finalReads(pairs);
    Set<String> purged = new TreeSet<>();
    for (DeleteCoverage.Covered c : dc.checkable) {
      Map<String, OpPair> last = raws.getOrDefault(c.delete().key(), Map.of());
      if (!last.isEmpty() && last.values().stream().allMatch(p -> p.start() > c.delete().end()
          && p.completion().raw().isEmpty())) {
        if (purged.add(c.delete().key())) {
          r.add("keysPurged", 1);
        }
        r.add("checkedAfterPurge", 1);
      }
    }
    for (DeleteCoverage.Covered c : dc.checkable) {
      String key = c.delete().key();
      boolean judged = false;
      boolean back = false;
      for (OpPair raw : raws.getOrDefault(key, Map.of()).values()) {
        if (raw.start() <= c.delete().end()) {
          continue;
        }
        judged = true;
        for (RawSibling s : raw.completion().raw()) {
          if (!s.tombstone() && s.value().equals(c.value())) {
            back = true;
            r.anomaly(describe(c) + " is live on replica " + raw.invoke().node() + " (dot " + s.dot()
                + ", " + FinalViews.name(raw) + ")");
          }
        }
      }
      for (OpPair fr : finals.getOrDefault(key, List.of())) {
        if (fr.start() > c.delete().end()) {
          judged = true;
          if (fr.values().contains(c.value())) {
            back = true;
            r.anomaly(describe(c) + " is returned by " + FinalViews.name(fr));
          }
        }
      }
      r.add("resurrected", back ? 1 : 0);
      if (!judged) {
        r.note("key " + key + ": no final or raw read after " + FinalViews.name(c.delete())
            + "; value " + c.value() + " not judged");
      }
    }
    return r.build();
  }

  private static String describe(DeleteCoverage.Covered c) {
    return "key " + c.delete().key() + ": value " + c.value() + " (written by "
        + FinalViews.name(c.write()) + ", seen by " + FinalViews.name(c.source())
        + ") was deleted by acknowledged " + FinalViews.name(c.delete()) + " but";
  }
}
