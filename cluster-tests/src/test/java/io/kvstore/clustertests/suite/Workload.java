package io.kvstore.clustertests.suite;

import java.util.List;

/**
 * One of FAULT-SUITE.md's workloads: a step is one short sequence of recorded operations on one
 * of the workload's keys (a set-add: read then add; a register write; a write, read and delete).
 * Implementations are shared by all client threads and must be thread safe.
 */
interface Workload {
  /** Runs one step through {@code ops}; failures are recorded, not thrown. */
  void step(ClientOps ops);

  /** Every key this workload touched, for the final reads. */
  List<String> usedKeys();
}
