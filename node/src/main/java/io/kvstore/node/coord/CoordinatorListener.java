package io.kvstore.node.coord;

/**
 * Events of the request path that metrics and logs want. Implementations must be thread safe and
 * must not block (they run on request and repair threads).
 */
public interface CoordinatorListener {
  /** Read repair sent {@code target} the merged state of a read (an attempt). */
  void readRepair(String target);

  /**
   * A read repair of {@code target} failed (an error or a timeout): the replica stays stale until
   * a later read or anti-entropy repairs it.
   */
  void readRepairFailed(String target);

  /**
   * A read's repair was dropped before it ran, because the repair queue was full ({@link
   * RepairQueue}): its stale replicas, if any, are left to anti-entropy.
   */
  void readRepairDropped();

  void manySiblings(int count);

  /** A write was sent to a fallback as a hint for {@code owner} (sloppy quorum). */
  void hintedWrite(String owner);

  /** A replica request was sent again ({@link Retry} says which and why). */
  void retried(Retry retry);

  /** This node, not a replica of a write's key, sent the write to {@code target} to coordinate. */
  void forwardSent(String target);

  /** Another node forwarded a write here to coordinate. */
  void forwardReceived();

  CoordinatorListener NONE =
      new CoordinatorListener() {
        @Override
        public void readRepair(String target) {}

        @Override
        public void readRepairFailed(String target) {}

        @Override
        public void readRepairDropped() {}

        @Override
        public void manySiblings(int count) {}

        @Override
        public void hintedWrite(String owner) {}

        @Override
        public void retried(Retry retry) {}

        @Override
        public void forwardSent(String target) {}

        @Override
        public void forwardReceived() {}
      };
}
