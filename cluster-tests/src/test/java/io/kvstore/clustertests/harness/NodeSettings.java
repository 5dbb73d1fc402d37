package io.kvstore.clustertests.harness;

/**
 * The node settings the suite adds to every node's YAML: anti-entropy and the hint window at
 * the suite's time scale, where the node's defaults are for production (an exchange a minute,
 * tombstones kept a day, hints three hours). Constants (the nemesis and the checks depend on
 * them), read once.
 */
public final class NodeSettings {
  private NodeSettings() {}

  /**
   * Anti-entropy at the suite's time scale (scenarios of 45 s, faults every ~10 s, a 30 s
   * convergence bound):
   *
   * <ul>
   *   <li>an exchange with each co-replica every {@value #AE_EXCHANGE_INTERVAL_MS} ms (jittered
   *       2.4-3.6 s by the node) and {@value #AE_COMPARE_PAUSE_MS} ms between the two comparisons:
   *       a replica that missed writes without a hint is repaired a few seconds after the heal,
   *       well inside the bound, while an exchange of trees that agree costs one Roots call per
   *       peer (the cluster is idle after the heal, so the compare-twice pause can be short);
   *   <li>every tree rebuilt from storage once a minute ({@value #AE_REBUILD_INTERVAL_MS} ms over
   *       all of a node's partitions), so that rebuilds under load run in every scenario;
   *   <li>tombstone grace {@value #TOMBSTONE_GRACE_MS} ms and hint window {@value #HINT_WINDOW_MS}
   *       ms: see {@link #HINT_WINDOW_MS}.
   * </ul>
   */
  public static final int AE_EXCHANGE_INTERVAL_MS = 3_000;
  /**
   * Scheduled anti-entropy on ({@code -Dkv.antiEntropy=false} turns it off: a control run in which
   * C2 must fail where only anti-entropy can converge the replicas, e.g. keys a restored node lost
   * that no client touches again).
   */
  public static final boolean ANTI_ENTROPY =
      Boolean.parseBoolean(System.getProperty("kv.antiEntropy", "true"));
  public static final int AE_COMPARE_PAUSE_MS = 200;
  public static final int AE_REBUILD_INTERVAL_MS = 60_000;
  /** The tombstone grace period: see {@link #HINT_WINDOW_MS}. */
  public static final int TOMBSTONE_GRACE_MS = 5_000;
  /**
   * The hint window, chosen with the grace against two constraints that pull apart:
   *
   * <ul>
   *   <li>Hints must outlive the suite's outages, or replay is replaced by anti-entropy and the
   *       hint drain shows expiries. A hint is written at most one window into an outage and
   *       delivered after the restart and the next sweep: the longest outages are a kill window
   *       (at most 13 s) plus the restart (about 5 s), and the two-primaries-down window (18 s)
   *       plus the restart, so about 25 s.
   *   <li>Tombstones must be purged inside a run, so that C4 is judged after purges: the node
   *       purges a tombstone deleted at t only once exchanges with every co-replica that started
   *       after t + grace ended at least a hint window ago, so no earlier than t + grace + window
   *       (+ one exchange). With 5 s + 30 s, deletes of a scenario's first seconds and of the
   *       previous scenario are purged while it runs (tens to a few hundred tombstones per
   *       scenario), and those of every scenario but the last before the suite's end, where C4
   *       is judged again; a window of 120 s would purge nothing inside a run.
   * </ul>
   *
   * The grace is short because it only has to cover clock skew between containers of one host
   * and the time a delete takes to reach every replica; an outage longer than the grace is safe
   * because no purge happens without exchanges with every co-replica (the kill scenario holds a
   * node down longer than the grace on purpose). The price of a 30 s window is that an outage
   * longer than ~30 s loses its hints to anti-entropy, which the suite does not provoke.
   */
  public static final int HINT_WINDOW_MS = 30_000;

  /** The {@code hints:} and {@code antientropy:} sections of a node's YAML. */
  static String yaml() {
    return "hints:\n  window_ms: " + HINT_WINDOW_MS + "\n"
        + "antientropy:\n  enabled: " + ANTI_ENTROPY + "\n"
        + "  exchange_interval_ms: " + AE_EXCHANGE_INTERVAL_MS + "\n"
        + "  compare_pause_ms: " + AE_COMPARE_PAUSE_MS + "\n"
        + "  rebuild_interval_ms: " + AE_REBUILD_INTERVAL_MS + "\n"
        + "  tombstone_grace_ms: " + TOMBSTONE_GRACE_MS + "\n";
  }
}
