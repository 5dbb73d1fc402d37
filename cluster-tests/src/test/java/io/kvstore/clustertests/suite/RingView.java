package io.kvstore.clustertests.suite;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.KvClient;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The cluster's ring, computed here exactly as the nodes compute it (their static membership:
 * {@link Ring#create} over the configured partition count and member ids), and checked against
 * what every node's {@code status()} reports: its own id, the partition count, the ring epoch, the
 * member ids and how many partitions each member owns. A mismatch means the suite would pick keys
 * for the wrong replicas, so it throws rather than guess.
 */
final class RingView {
  private RingView() {}

  static Ring of(ContainerCluster cluster) {
    Ring agreed = null;
    for (int i = 0; i < cluster.size(); i++) {
      ClusterStatus s;
      try (KvClient c = cluster.client(i, Duration.ofSeconds(5))) {
        s = c.status();
      }
      Ring ring = check(s, ContainerCluster.nodeId(i), ContainerCluster.PARTITIONS);
      if (agreed != null && !agreed.equals(ring)) {
        throw new IllegalStateException(s.nodeId() + " derives another ring (" + ring + ") than "
            + ContainerCluster.nodeId(0) + " (" + agreed + ")");
      }
      agreed = ring;
    }
    if (agreed == null) {
      throw new IllegalStateException("a cluster without nodes has no ring");
    }
    return agreed;
  }

  /** The ring {@code s} implies, after checking it against everything {@code s} says. */
  static Ring check(ClusterStatus s, String expectedNode, int expectedPartitions) {
    String who = "status of " + expectedNode;
    if (!expectedNode.equals(s.nodeId())) {
      throw new IllegalStateException(who + " answered as " + s.nodeId());
    }
    if (s.partitionCount() != expectedPartitions) {
      throw new IllegalStateException(who + ": " + s.partitionCount() + " partitions, configured "
          + expectedPartitions);
    }
    List<NodeId> ids = s.members().stream().map(m -> NodeId.of(m.nodeId())).toList();
    Ring ring = Ring.create(s.partitionCount(), ids);
    if (s.ringEpoch() != ring.epoch()) {
      throw new IllegalStateException(who + ": ring epoch " + s.ringEpoch() + ", but the static ring"
          + " of " + ids + " has epoch " + ring.epoch() + " (a membership change? keys would be"
          + " placed on the wrong replicas)");
    }
    Map<NodeId, Integer> owned = ring.ownershipCounts();
    for (ClusterStatus.Member m : s.members()) {
      int expected = owned.getOrDefault(NodeId.of(m.nodeId()), 0);
      if (m.partitionsOwned() != expected) {
        throw new IllegalStateException(who + ": " + m.nodeId() + " owns " + m.partitionsOwned()
            + " partitions, the ring computed here gives it " + expected);
      }
    }
    return ring;
  }
}
