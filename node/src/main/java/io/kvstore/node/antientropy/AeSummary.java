package io.kvstore.node.antientropy;

import java.util.List;

/**
 * What anti-entropy did since the node started and how fresh each partition is (proto
 * AntiEntropySummary). Immutable.
 *
 * @param oldestFullExchangeAgeMillis the largest full-exchange age over the partitions; -1 while
 *     some partition never completed an exchange with every co-replica
 */
public record AeSummary(int partitions, int treesBuilt, long exchanges, long failures,
    long keysRepaired, long bytesSent, long bytesReceived, long rebuilds, long purged,
    long oldestFullExchangeAgeMillis, List<PartitionState> states) {

  /** One partition: whether its tree is built, and ms since its last full exchange (-1 never). */
  public record PartitionState(int partition, boolean treeBuilt, long fullExchangeAgeMillis) {}
}
