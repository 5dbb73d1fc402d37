package io.kvstore.gossip;

/**
 * One peer as a node sees it at a moment: its gossip entry, the local verdict and the detector's
 * reading. For status pages and metrics. The entry fields (generation to ring epoch) are the
 * gossip entry as merged; a restart seen first in a ping ack shows up there only once gossip
 * brings the new entry.
 *
 * <p>An immutable value, thread-safe.
 *
 * @param lastAckAgeMillis time since the last ack to this node's ping, -1 if none since the
 *     peer was learnt or last restarted
 * @param convictions how many times the detector convicted this peer
 */
public record PeerState(
    String nodeId,
    String address,
    long generation,
    long heartbeatVersion,
    MemberStatus status,
    long ringEpoch,
    boolean alive,
    double phi,
    long lastAckAgeMillis,
    long convictions) {}
