package io.kvstore.node;

import io.kvstore.node.cluster.Membership;
import io.kvstore.node.cluster.PeerHealth;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.NodeInfo;
import io.kvstore.proto.ReplicationDefaults;
import io.kvstore.proto.RingInfo;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.Map;

/** Builds the cluster-status and node-info answers from the node's current view. Thread safe. */
final class ClusterStatus {
  private final NodeConfig config;
  private final Membership membership;
  private final PeerHealth health;
  private final long incarnation;

  ClusterStatus(NodeConfig config, Membership membership, PeerHealth health, long incarnation) {
    this.config = config;
    this.membership = membership;
    this.health = health;
    this.incarnation = incarnation;
  }

  ClusterStatusResponse response() {
    Ring ring = membership.ring();
    Map<NodeId, Integer> owned = ring.ownershipCounts();
    ClusterStatusResponse.Builder b = ClusterStatusResponse.newBuilder()
        .setNodeId(config.nodeId().id())
        .setRing(RingInfo.newBuilder().setPartitionCount(ring.partitionCount()).setEpoch(ring.epoch()))
        .setDefaults(ReplicationDefaults.newBuilder().setN(config.n()).setR(config.r()).setW(config.w()));
    for (Map.Entry<NodeId, String> m : membership.addresses().entrySet()) {
      boolean self = m.getKey().equals(config.nodeId());
      Member.Builder mb = Member.newBuilder()
          .setNodeId(m.getKey().id())
          .setAddress(m.getValue())
          .setPartitionsOwned(owned.getOrDefault(m.getKey(), 0))
          .setIsSelf(self)
          .setStatus(self ? MemberStatus.MEMBER_STATUS_UP : status(health.state(m.getKey())));
      if (self) {
        mb.setIncarnation(incarnation);
      }
      b.addMembers(mb);
    }
    return b.build();
  }

  NodeInfo nodeInfo(long uptimeNanos) {
    return NodeInfo.newBuilder()
        .setNodeId(config.nodeId().id())
        .setIncarnation(incarnation)
        .setAddress(config.advertise().toString())
        .setDataDir(config.dataDir().toAbsolutePath().toString())
        .setUptimeMillis(uptimeNanos / 1_000_000)
        .setVersion(Node.class.getPackage().getImplementationVersion() == null ? "dev"
            : Node.class.getPackage().getImplementationVersion())
        .build();
  }

  private static MemberStatus status(PeerHealth.State s) {
    return switch (s) {
      case UP -> MemberStatus.MEMBER_STATUS_UP;
      case DOWN -> MemberStatus.MEMBER_STATUS_DOWN;
      case UNKNOWN -> MemberStatus.MEMBER_STATUS_UNKNOWN;
    };
  }
}
