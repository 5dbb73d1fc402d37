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
    return this == ISOLATE_ONE || this == KILL || this == PAUSE;
  }
}
