package io.kvstore.clustertests.suite;

import java.util.Locale;

/** The faults of FAULT-SUITE.md, each started and stopped by {@link Nemesis}. */
enum NemesisKind {
  /** Random halves (2 | 3), cut both ways. */
  PARTITION_HALVES,
  /** One random node cut off from all others. */
  ISOLATE_ONE,
  /** Every node still sees a majority (its ring neighbours), but no two see the same one. */
  MAJORITIES_RING,
  /** Two halves joined only through one bridge node. */
  BRIDGE,
  /** One node stops receiving from two others, which still receive from it. */
  ONE_WAY,
  /** kill -9 of a random node's JVM, restarted with the same data and address at the stop. */
  KILL,
  /** SIGSTOP of a random node's JVM, SIGCONT at the stop. */
  PAUSE,
  /**
   * A node restored from an old copy of its data directory: kill -9 of a random node, a copy of
   * its data directory made while it is down, restart; {@link Nemesis#RESTORE_BACKUP_AGE} later,
   * kill -9 again, the data directory replaced by the copy, restart. The node comes back without
   * the writes it took in between (they are on its co-replicas, and anti-entropy must bring them
   * back) and must take a new actor epoch (no dot reused). Two windows, each about a restart long.
   * Runs before {@link #PRIMARIES_DOWN}, so that the suite's end comes a minute after it and the
   * check after tombstone purge ({@link AfterPurge}) sees its tombstones purged too.
   */
  RESTORE_BACKUP,
  /**
   * Two of the three primary replicas of every workload key down at once (the scenario places
   * its keys so that they share one preference list): kill -9 of one, SIGSTOP of another, for
   * one window of about 20 s, while the third primary and the two fallbacks serve. Writes at
   * W=2 stay available only by sloppy quorum; a PW=2 control stream must be refused.
   */
  PRIMARIES_DOWN,
  /** No faults (the negative control). */
  NONE;

  /** The name of its windows in the history and of its scenario: "isolate-one", "kill". */
  String historyName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Whether a quorum of primaries (2 of N=3) stays reachable for every key from a client that
   * knows all five nodes: one node down, paused or cut off leaves at least two of any key's three
   * replicas reachable, and a coordinator that reaches them. The availability floor applies here.
   */
  boolean quorumStaysReachable() {
    return this == ISOLATE_ONE || this == KILL || this == PAUSE || this == RESTORE_BACKUP;
  }

  /**
   * Whether writes at W=2 must stay available to a client that knows all five nodes: wherever a
   * quorum of primaries stays reachable, and also with two of a key's primaries down, since with
   * sloppy quorum a write takes any W live nodes of its preference list (the third primary and
   * a fallback, which keeps a hint for the owner). A partition may leave a client's side without
   * W nodes of a key at all, so partitions other than one isolated node are not judged.
   */
  boolean writesStayAvailable() {
    return quorumStaysReachable() || this == PRIMARIES_DOWN;
  }

  /** Whether the nemesis injects one scheduled window itself (not a fault every period). */
  boolean singleWindow() {
    return this == PRIMARIES_DOWN;
  }

  /**
   * Whether its faults stop node JVMs (kill -9 or SIGSTOP) rather than cut links: its windows
   * name the nodes that were down ({@link Nemesis#downNodes()}).
   */
  boolean stopsNodes() {
    return this == KILL || this == PAUSE || this == PRIMARIES_DOWN || this == RESTORE_BACKUP;
  }
}
