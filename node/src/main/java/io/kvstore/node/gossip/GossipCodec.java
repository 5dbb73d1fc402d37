package io.kvstore.node.gossip;

import io.kvstore.gossip.EndpointState;
import io.kvstore.gossip.GossipMessage;
import io.kvstore.gossip.MemberStatus;
import io.kvstore.gossip.MembershipView;
import io.kvstore.proto.GossipEndpoint;
import io.kvstore.proto.GossipMemberStatus;
import io.kvstore.proto.PingRequest;
import io.kvstore.proto.PingResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Converts gossip messages to and from their wire form (replica.proto: Ping, Gossip). A
 * malformed entry (empty id or address, unknown status) is refused with
 * IllegalArgumentException, which the service maps to INVALID_ARGUMENT. Stateless.
 */
public final class GossipCodec {
  private GossipCodec() {}

  public static PingRequest ping(GossipMessage.Ping p) {
    return PingRequest.newBuilder().setFromNodeId(p.fromId()).setFromGeneration(p.fromGeneration())
        .setSeq(p.seq()).build();
  }

  public static GossipMessage.Ping ping(PingRequest p) {
    return new GossipMessage.Ping(p.getFromNodeId(), p.getFromGeneration(), p.getSeq());
  }

  public static PingResponse ack(GossipMessage.PingAck a) {
    return PingResponse.newBuilder().setFromNodeId(a.fromId()).setFromGeneration(a.fromGeneration())
        .setSeq(a.seq()).build();
  }

  public static GossipMessage.PingAck ack(PingResponse a) {
    return new GossipMessage.PingAck(a.getFromNodeId(), a.getFromGeneration(), a.getSeq());
  }

  public static List<GossipEndpoint> endpoints(MembershipView view) {
    List<GossipEndpoint> out = new ArrayList<>(view.size());
    for (EndpointState e : view.entries().values()) {
      out.add(GossipEndpoint.newBuilder().setNodeId(e.nodeId()).setAddress(e.address())
          .setGeneration(e.generation()).setHeartbeatVersion(e.heartbeatVersion())
          .setStatus(e.status() == MemberStatus.SHUTDOWN
              ? GossipMemberStatus.GOSSIP_MEMBER_STATUS_SHUTDOWN
              : GossipMemberStatus.GOSSIP_MEMBER_STATUS_NORMAL)
          .setRingEpoch(e.ringEpoch()).build());
    }
    return out;
  }

  public static MembershipView view(List<GossipEndpoint> endpoints) {
    List<EndpointState> states = new ArrayList<>(endpoints.size());
    for (GossipEndpoint e : endpoints) {
      MemberStatus status = switch (e.getStatus()) {
        case GOSSIP_MEMBER_STATUS_NORMAL -> MemberStatus.NORMAL;
        case GOSSIP_MEMBER_STATUS_SHUTDOWN -> MemberStatus.SHUTDOWN;
        default -> throw new IllegalArgumentException(
            "gossip entry of '" + e.getNodeId() + "' has no valid status: " + e.getStatus());
      };
      states.add(new EndpointState(e.getNodeId(), e.getAddress(), e.getGeneration(),
          e.getHeartbeatVersion(), status, e.getRingEpoch()));
    }
    return MembershipView.of(states);
  }
}
