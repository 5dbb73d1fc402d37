package io.kvstore.client;

import io.kvstore.proto.ClusterStatusResponse;
import java.util.List;

/**
 * One node's view of the cluster: its members and their liveness, the ring and the replication
 * defaults. A local view, not a consensus: two nodes may briefly disagree. Immutable.
 *
 * @param nodeId the node that answered
 * @param members every member it knows of, itself included, ordered by node id
 * @param partitionCount the ring's number of partitions (Q)
 * @param ringEpoch the ring's version, incremented by every join or leave
 * @param n replicas per key
 * @param r default read quorum
 * @param w default write quorum
 */
public record ClusterStatus(
    String nodeId, List<Member> members, int partitionCount, long ringEpoch, int n, int r, int w) {

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /** Liveness of a member as judged by the answering node's failure detector. */
  public enum MemberStatus {
    UP,
    DOWN,
    /** Known but no heartbeat answer yet: not convicted, so still routed to. */
    UNKNOWN
  }

  /**
   * One node of the cluster.
   *
   * @param nodeId stable node id, e.g. "n1"
   * @param address where it serves gRPC, "host:port"
   * @param status its liveness as the answering node sees it
   * @param partitionsOwned ring partitions it owns as primary
   * @param incarnation incremented at every start of the node (its gossip generation), as the
   *     answering node last learned it; 0 if not yet
   * @param self true for the node that answered
   * @param phi the answering node's phi-accrual suspicion of this member (0 for itself)
   * @param lastHeartbeatAgeMillis since the answering node last got a heartbeat answer from this
   *     member; -1 if never (and for itself)
   * @param convictions how often the answering node convicted this member since it started
   */
  public record Member(
      String nodeId,
      String address,
      MemberStatus status,
      int partitionsOwned,
      long incarnation,
      boolean self,
      double phi,
      long lastHeartbeatAgeMillis,
      long convictions) {}

  static ClusterStatus fromProto(ClusterStatusResponse p) {
    List<Member> members = p.getMembersList().stream()
        .map(m -> new Member(m.getNodeId(), m.getAddress(), status(m.getStatus()),
            m.getPartitionsOwned(), m.getIncarnation(), m.getIsSelf(), m.getPhi(),
            m.getLastHeartbeatAgeMillis(), m.getConvictions()))
        .toList();
    return new ClusterStatus(p.getNodeId(), members, p.getRing().getPartitionCount(),
        p.getRing().getEpoch(), p.getDefaults().getN(), p.getDefaults().getR(),
        p.getDefaults().getW());
  }

  private static MemberStatus status(io.kvstore.proto.MemberStatus s) {
    return switch (s) {
      case MEMBER_STATUS_UP -> MemberStatus.UP;
      case MEMBER_STATUS_DOWN -> MemberStatus.DOWN;
      default -> MemberStatus.UNKNOWN;
    };
  }
}
