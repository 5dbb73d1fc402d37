package io.kvstore.clustertests.checker;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What anti-entropy did during a scenario, from every node's status (ClusterStatusResponse
 * {@code anti_entropy}) when the scenario began and at its end: exchanges run and failed, keys
 * repaired, tree rebuilds and, above all, tombstones purged, so that a run shows its purges
 * happened (C4 is meant to hold after them). A report, not a verdict: the result has no
 * anomalies; a node that did not answer at the end is noted.
 *
 * <p>A node's counters run since its last start and the cluster serves several scenarios: a
 * scenario's share is the end counter minus the same node's counter at the scenario's start, or,
 * when the node restarted in between (another incarnation), the end counter alone (what it did
 * since its last start; a note says so, and work of an earlier incarnation in the scenario is
 * not counted).
 *
 * <p>Thread safety: stateless; the records are immutable values.
 */
public final class AntiEntropyStats {
  public static final String NAME = "anti-entropy";

  private AntiEntropyStats() {}

  /**
   * One node's anti-entropy as one status call showed it (counters since the node's start).
   *
   * @param node the node that answered, e.g. "n2"
   * @param incarnation its incarnation, to tell whether its counters restarted
   * @param exchanges exchanges run (one partition with one co-replica each)
   * @param failures exchanges that failed
   * @param keysRepaired keys whose sibling sets differed and were exchanged
   * @param rebuilds tree rebuilds from storage
   * @param tombstonesPurged tombstones purged
   * @param oldestFullExchangeAgeMillis the longest time since one of its partitions last
   *     completed an exchange with every co-replica; -1 while one never did
   */
  public record NodeAe(String node, long incarnation, long exchanges, long failures,
      long keysRepaired, long rebuilds, long tombstonesPurged, long oldestFullExchangeAgeMillis) {}

  /**
   * @param before each node's status when the scenario began (missing: counts from its start)
   * @param after each node's status at the end
   * @param unanswered nodes that did not answer at the end, and why
   */
  public static CheckResult report(Map<String, NodeAe> before, Map<String, NodeAe> after,
      Map<String, String> unanswered) {
    CheckResult.Builder r = CheckResult.builder(NAME).count("exchanges", 0)
        .count("exchangeFailures", 0).count("keysRepaired", 0).count("rebuilds", 0)
        .count("tombstonesPurged", 0).count("oldestFullExchangeAgeMillis", -1);
    Set<String> nodes = new TreeSet<>(after.keySet());
    long oldest = -1;
    boolean never = false;
    for (String node : nodes) {
      NodeAe now = after.get(node);
      NodeAe then = before.get(node);
      boolean sameRun = then != null && then.incarnation() == now.incarnation();
      if (then != null && !sameRun) {
        r.note(node + " restarted during the scenario (incarnation " + then.incarnation() + " -> "
            + now.incarnation() + "): its counters count since its last start");
      }
      add(r, node, "exchanges", now.exchanges(), sameRun ? then.exchanges() : 0);
      add(r, node, "exchangeFailures", now.failures(), sameRun ? then.failures() : 0);
      add(r, node, "keysRepaired", now.keysRepaired(), sameRun ? then.keysRepaired() : 0);
      add(r, node, "rebuilds", now.rebuilds(), sameRun ? then.rebuilds() : 0);
      add(r, node, "tombstonesPurged", now.tombstonesPurged(),
          sameRun ? then.tombstonesPurged() : 0);
      never |= now.oldestFullExchangeAgeMillis() < 0;
      oldest = Math.max(oldest, now.oldestFullExchangeAgeMillis());
    }
    if (!never) {
      r.count("oldestFullExchangeAgeMillis", oldest);
    }
    new TreeMap<>(unanswered).forEach((node, why) ->
        r.note(node + " did not answer at the end: " + why));
    return r.build();
  }

  private static void add(CheckResult.Builder r, String node, String name, long now, long then) {
    long v = Math.max(0, now - then);
    r.add(name, v);
    if (name.equals("tombstonesPurged") || name.equals("keysRepaired")) {
      r.count(node + "." + name, v);
    }
  }
}
