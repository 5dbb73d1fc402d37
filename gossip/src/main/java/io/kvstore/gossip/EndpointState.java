package io.kvstore.gossip;

import java.util.Comparator;
import java.util.Objects;

/**
 * One node's gossip entry, as its owner last published it: identity, address, incarnation
 * (generation), a heartbeat version the owner bumps every tick, its status and the ring epoch it
 * holds.
 *
 * <p>An immutable value, thread-safe. Only the owner creates newer versions of its entry; others
 * relay them unchanged. Invariants: nodeId non-empty; address non-empty; generation,
 * heartbeatVersion and ringEpoch >= 0.
 *
 * @param generation start count of the node, persisted by the caller and bumped at every start
 * @param heartbeatVersion incremented by the owner every tick; orders entries of one generation.
 *     It proves nothing about liveness to a node that only heard it relayed
 */
public record EndpointState(
    String nodeId,
    String address,
    long generation,
    long heartbeatVersion,
    MemberStatus status,
    long ringEpoch) {

  /**
   * The merge order of two entries of the same node: generation, then heartbeat version, then
   * (only to break exact ties deterministically) status, ring epoch and address. It is a total
   * order on entries of one node, so keeping the greater entry is commutative, associative and
   * idempotent.
   */
  public static final Comparator<EndpointState> PRECEDENCE =
      Comparator.comparingLong(EndpointState::generation)
          .thenComparingLong(EndpointState::heartbeatVersion)
          .thenComparing(EndpointState::status)
          .thenComparingLong(EndpointState::ringEpoch)
          .thenComparing(EndpointState::address)
          .thenComparing(EndpointState::nodeId);

  public EndpointState {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(status, "status");
    if (nodeId.isEmpty()) {
      throw new IllegalArgumentException("nodeId must not be empty");
    }
    if (address.isEmpty()) {
      throw new IllegalArgumentException("address of " + nodeId + " must not be empty");
    }
    notNegative("generation", generation);
    notNegative("heartbeatVersion", heartbeatVersion);
    notNegative("ringEpoch", ringEpoch);
  }

  /** A freshly started node's entry: heartbeat version 0, NORMAL. */
  public static EndpointState starting(
      String nodeId, String address, long generation, long ringEpoch) {
    return new EndpointState(nodeId, address, generation, 0, MemberStatus.NORMAL, ringEpoch);
  }

  /** True if this entry wins over {@code other} in a merge (they must be of the same node). */
  public boolean supersedes(EndpointState other) {
    return PRECEDENCE.compare(this, other) > 0;
  }

  public EndpointState withNextHeartbeat() {
    return new EndpointState(
        nodeId, address, generation, heartbeatVersion + 1, status, ringEpoch);
  }

  public EndpointState withStatus(MemberStatus newStatus) {
    return new EndpointState(nodeId, address, generation, heartbeatVersion, newStatus, ringEpoch);
  }

  public EndpointState withRingEpoch(long newRingEpoch) {
    return new EndpointState(nodeId, address, generation, heartbeatVersion, status, newRingEpoch);
  }

  private static void notNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }
}
