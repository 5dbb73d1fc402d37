package io.kvstore.node.handoff;

import io.kvstore.ring.NodeId;
import java.util.List;

/**
 * What the hint store holds and what the handoff manager did with it since the node started: the
 * source of the {@code HintSummary} of {@code kv status} and of the handoff metrics.
 *
 * <p>Immutable value; thread safe.
 *
 * @param queues one entry per target with undelivered hints or needing repair, by node id
 * @param delivered hints durably acknowledged by their targets since start
 * @param deliveredBytes their record bytes
 * @param expired undelivered hints lost to the hint window since start
 * @param corrupt corrupt records (and bad segment headers or checkpoints) met since start
 * @param torn torn tails met since start
 * @param windowMillis the hint window
 * @param replayHintsPerSecond delivery rate over the last 10 s
 * @param replayBytesPerSecond delivery rate over the last 10 s, bytes
 */
public record HandoffSummary(
    List<TargetQueue> queues,
    long delivered,
    long deliveredBytes,
    long expired,
    long corrupt,
    long torn,
    long windowMillis,
    double replayHintsPerSecond,
    double replayBytesPerSecond) {

  public HandoffSummary {
    queues = List.copyOf(queues);
  }

  /**
   * The undelivered hints for one target.
   *
   * @param oldestAgeMillis age of the oldest undelivered hint (0 if none)
   * @param needsRepair hints for the target were lost (expired or corrupt): it needs anti-entropy
   */
  public record TargetQueue(
      NodeId target, long hints, long bytes, long oldestAgeMillis, boolean needsRepair) {}

  /** Undelivered hints over every target. */
  public long queued() {
    return queues.stream().mapToLong(TargetQueue::hints).sum();
  }
}
