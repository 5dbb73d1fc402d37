package io.kvstore.gossip;

import java.util.Objects;

/**
 * The four messages of the protocol. The transport is request/response: {@link Ping} and
 * {@link Syn} are requests, each answered by exactly one {@link PingAck} or {@link SynAck}, or by
 * nothing if either message is lost.
 *
 * <p>Immutable values, thread-safe. {@link Syn} and {@link SynAck} carry the sender's whole view:
 * push-pull of full views costs O(cluster size) per exchange, fine for tens of nodes; larger
 * clusters would need digests first (Cassandra's three-way GossipDigestSyn/Ack/Ack2).
 */
public sealed interface GossipMessage {

  /**
   * A direct heartbeat probe. {@code seq} is unique per sender incarnation and increasing, so the
   * sender can ignore duplicated and overtaken acks.
   */
  record Ping(String fromId, long fromGeneration, long seq) implements GossipMessage {
    public Ping {
      Objects.requireNonNull(fromId, "fromId");
    }
  }

  /** The answer to a {@link Ping}: the responder's id and generation, and the ping's seq. */
  record PingAck(String fromId, long fromGeneration, long seq) implements GossipMessage {
    public PingAck {
      Objects.requireNonNull(fromId, "fromId");
    }
  }

  /** Push half of an exchange: the sender's view. */
  record Syn(MembershipView view) implements GossipMessage {
    public Syn {
      Objects.requireNonNull(view, "view");
    }
  }

  /** Pull half: the responder's view after merging the {@link Syn}. */
  record SynAck(MembershipView view) implements GossipMessage {
    public SynAck {
      Objects.requireNonNull(view, "view");
    }
  }
}
