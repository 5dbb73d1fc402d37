package io.kvstore.client;

import java.time.Duration;
import java.util.List;

/**
 * What a repair ({@link KvClient#repair}) covers, and how long it may take. Immutable.
 *
 * @param partitions partitions to repair; empty = every partition the node replicates (one it
 *     does not replicate is reported as a failed exchange)
 * @param peerNodeId exchange only with this co-replica; empty = with every co-replica
 * @param deadline the deadline of the whole repair (default {@link #DEFAULT_DEADLINE}): a repair
 *     of every partition runs one exchange at a time and can take minutes
 */
public record RepairOptions(List<Integer> partitions, String peerNodeId, Duration deadline) {
  public static final Duration DEFAULT_DEADLINE = Duration.ofHours(1);
  /** Every partition the node replicates, with every co-replica, within the default deadline. */
  public static final RepairOptions ALL = new RepairOptions(List.of(), "", DEFAULT_DEADLINE);

  /**
   * @throws IllegalArgumentException if a partition is negative or the deadline not positive
   */
  public RepairOptions {
    partitions = List.copyOf(partitions);
    peerNodeId = peerNodeId == null ? "" : peerNodeId;
    for (int p : partitions) {
      if (p < 0) {
        throw new IllegalArgumentException("partition must be >= 0, got " + p);
      }
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline must be positive, got " + deadline);
    }
  }

  public RepairOptions withPartitions(List<Integer> partitions) {
    return new RepairOptions(partitions, peerNodeId, deadline);
  }

  public RepairOptions withPeer(String peerNodeId) {
    return new RepairOptions(partitions, peerNodeId, deadline);
  }

  public RepairOptions withDeadline(Duration deadline) {
    return new RepairOptions(partitions, peerNodeId, deadline);
  }

  io.kvstore.proto.RepairRequest toProto() {
    return io.kvstore.proto.RepairRequest.newBuilder().addAllPartitions(partitions)
        .setPeerNodeId(peerNodeId).build();
  }
}
