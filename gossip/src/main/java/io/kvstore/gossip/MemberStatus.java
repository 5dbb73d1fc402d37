package io.kvstore.gossip;

/**
 * What a node says about itself in its gossip entry. The declaration order is part of the merge
 * order: at equal (generation, heartbeat version) a later constant wins, so a shutdown
 * announcement is never undone by a stale NORMAL entry of the same version.
 */
public enum MemberStatus {
  /** Running and serving. */
  NORMAL,
  /**
   * Announced by a node shutting down gracefully: peers mark it down at once, without waiting for
   * the detector. Only a newer generation (a restart) brings the node back.
   */
  SHUTDOWN
}
