package io.kvstore.clustertests.suite;

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
  NONE
}
