package io.kvstore.node;

import io.kvstore.node.cluster.Membership;
import io.kvstore.gossip.PeerState;
import io.kvstore.node.gossip.GossipDriver;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.node.handoff.HandoffSummary;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.node.antientropy.AeSummary;
import io.kvstore.proto.AntiEntropySummary;
import io.kvstore.proto.HintQueue;
import io.kvstore.proto.PartitionRepair;
import io.kvstore.proto.HintSummary;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.NodeInfo;
import io.kvstore.proto.PartitionReplicas;
import io.kvstore.proto.ReplicationDefaults;
import io.kvstore.proto.RingInfo;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the cluster-status and node-info answers from the node's current view, including the
 * primary replicas of every partition of the node's ring (what token-aware clients route by).
 * Thread safe: the replica table is derived once per ring (an immutable value) and cached.
 */
final class ClusterStatus {
  private final NodeConfig config;
  private final Membership membership;
  private final GossipDriver gossip;
  private final long incarnation;
  private final Supplier<HandoffSummary> hints;
  private final Supplier<AeSummary> antiEntropy;
  private volatile ReplicaTable replicas;

  /** The partitions' replicas of one ring, as sent. */
  private record ReplicaTable(Ring ring, List<PartitionReplicas> partitions) {}

  ClusterStatus(NodeConfig config, Membership membership, GossipDriver gossip, long incarnation,
      Supplier<HandoffSummary> hints, Supplier<AeSummary> antiEntropy) {
    this.antiEntropy = antiEntropy;
    this.config = config;
    this.membership = membership;
    this.gossip = gossip;
    this.incarnation = incarnation;
    this.hints = hints;
  }

  ClusterStatusResponse response() {
    Ring ring = membership.ring();
    Map<NodeId, Integer> owned = ring.ownershipCounts();
    ClusterStatusResponse.Builder b = ClusterStatusResponse.newBuilder()
        .setNodeId(config.nodeId().id())
        .setRing(RingInfo.newBuilder().setPartitionCount(ring.partitionCount()).setEpoch(ring.epoch()))
        .setDefaults(ReplicationDefaults.newBuilder().setN(config.n()).setR(config.r()).setW(config.w()))
        .addAllPartitionReplicas(replicas(ring));
    Map<String, PeerState> peers = new HashMap<>();
    gossip.peers().forEach(p -> peers.put(p.nodeId(), p));
    for (Map.Entry<NodeId, String> m : membership.addresses().entrySet()) {
      boolean self = m.getKey().equals(config.nodeId());
      Member.Builder mb = Member.newBuilder()
          .setNodeId(m.getKey().id())
          .setAddress(m.getValue())
          .setPartitionsOwned(owned.getOrDefault(m.getKey(), 0))
          .setIsSelf(self)
          .setLastHeartbeatAgeMillis(-1);
      PeerState p = peers.get(m.getKey().id());
      if (self) {
        mb.setStatus(MemberStatus.MEMBER_STATUS_UP).setIncarnation(incarnation);
      } else if (p == null) {
        mb.setStatus(MemberStatus.MEMBER_STATUS_UNKNOWN);
      } else {
        mb.setStatus(status(p)).setIncarnation(p.generation()).setPhi(Math.max(0.0, p.phi()))
            .setLastHeartbeatAgeMillis(p.lastAckAgeMillis())
            .setHeartbeatVersion(p.heartbeatVersion()).setConvictions(p.convictions());
      }
      b.addMembers(mb);
    }
    return b.setHints(hints(hints.get())).setAntiEntropy(antiEntropy(antiEntropy.get())).build();
  }

  /** Per partition, its N primary replicas in preference order (kvstore.proto). */
  private List<PartitionReplicas> replicas(Ring ring) {
    ReplicaTable t = replicas;
    if (t != null && t.ring().equals(ring)) {
      return t.partitions();
    }
    List<PartitionReplicas> out = new ArrayList<>(ring.partitionCount());
    for (int p = 0; p < ring.partitionCount(); p++) {
      PartitionReplicas.Builder b = PartitionReplicas.newBuilder();
      ring.preferenceList(p, config.n()).forEach(id -> b.addNodeIds(id.id()));
      out.add(b.build());
    }
    replicas = new ReplicaTable(ring, List.copyOf(out));
    return out;
  }

  private static AntiEntropySummary antiEntropy(AeSummary s) {
    AntiEntropySummary.Builder b = AntiEntropySummary.newBuilder()
        .setPartitions(s.partitions()).setTreesBuilt(s.treesBuilt()).setExchanges(s.exchanges())
        .setExchangeFailures(s.failures()).setKeysRepaired(s.keysRepaired())
        .setBytesSent(s.bytesSent()).setBytesReceived(s.bytesReceived()).setRebuilds(s.rebuilds())
        .setTombstonesPurged(s.purged())
        .setOldestFullExchangeAgeMillis(s.oldestFullExchangeAgeMillis());
    for (AeSummary.PartitionState p : s.states()) {
      b.addPartitionStates(PartitionRepair.newBuilder().setPartition(p.partition())
          .setTreeBuilt(p.treeBuilt()).setFullExchangeAgeMillis(p.fullExchangeAgeMillis()));
    }
    return b.build();
  }

  private static HintSummary hints(HandoffSummary s) {
    HintSummary.Builder b = HintSummary.newBuilder()
        .setDelivered(s.delivered())
        .setDeliveredBytes(s.deliveredBytes())
        .setExpired(s.expired())
        .setWindowMillis(s.windowMillis())
        .setCorrupt(s.corrupt())
        .setTorn(s.torn())
        .setReplayHintsPerSecond(s.replayHintsPerSecond())
        .setReplayBytesPerSecond(s.replayBytesPerSecond());
    for (HandoffSummary.TargetQueue q : s.queues()) {
      b.addQueues(HintQueue.newBuilder().setTargetNodeId(q.target().id()).setHints(q.hints())
          .setBytes(q.bytes()).setOldestAgeMillis(q.oldestAgeMillis())
          .setNeedsRepair(q.needsRepair()));
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

  /** DOWN if convicted (or shut down); UNKNOWN while no heartbeat answer came yet; else UP. */
  private static MemberStatus status(PeerState p) {
    if (!p.alive()) {
      return MemberStatus.MEMBER_STATUS_DOWN;
    }
    return p.lastAckAgeMillis() < 0 ? MemberStatus.MEMBER_STATUS_UNKNOWN
        : MemberStatus.MEMBER_STATUS_UP;
  }
}
