package io.kvstore.client.cli;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.ClusterStatus.AntiEntropy;
import io.kvstore.client.ClusterStatus.PartitionState;
import java.io.PrintWriter;

/**
 * The anti-entropy section of {@code kv status}: the answering node's hash trees, exchanges since
 * it started, and its partitions longest without a full exchange (one completed with every
 * co-replica). Stateless.
 */
final class AntiEntropySection {
  /** How many of the stalest partitions are listed. */
  static final int STALEST = 5;
  private static final String ROW = "%-10s %-10s %s%n";

  private AntiEntropySection() {}

  static void print(PrintWriter out, ClusterStatus s) {
    out.println();
    AntiEntropy ae = s.antiEntropy();
    if (ae.partitions() == 0) {
      out.println("anti-entropy of " + s.nodeId() + ": none reported (no partitions)");
      return;
    }
    out.println("anti-entropy of " + s.nodeId() + " (the node that answered):");
    out.println("trees built: " + ae.treesBuilt() + " of " + ae.partitions() + " partitions,"
        + " rebuilds from storage: " + ae.rebuilds());
    out.println("exchanges: " + ae.exchanges() + " (" + ae.exchangeFailures() + " failed), "
        + ae.keysRepaired() + " keys repaired, sent " + ae.bytesSent() + " bytes, received "
        + ae.bytesReceived() + " bytes");
    out.println("tombstones purged: " + ae.tombstonesPurged());
    out.println("oldest full exchange: " + (ae.oldestFullExchangeAgeMillis() < 0
        ? "never (a partition has not yet completed an exchange with every co-replica)"
        : Units.age(ae.oldestFullExchangeAgeMillis()) + " ago"));
    if (ae.partitionStates().isEmpty()) {
      return;
    }
    out.printf(ROW, "PARTITION", "TREE", "FULL EXCHANGE");
    for (PartitionState p : ae.stalest(STALEST)) {
      out.printf(ROW, p.partition(), p.treeBuilt() ? "built" : "not built",
          p.neverFullyExchanged() ? "never" : Units.age(p.fullExchangeAgeMillis()) + " ago");
    }
    out.println("(the " + Math.min(STALEST, ae.partitionStates().size())
        + " partitions longest without a full exchange: one with every co-replica)");
  }
}
