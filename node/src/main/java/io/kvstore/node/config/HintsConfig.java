package io.kvstore.node.config;

import java.time.Duration;

/**
 * Hint store and hinted handoff settings (DESIGN.md section 6; {@link ConfigLoader} lists the keys
 * and defaults). Immutable.
 *
 * @param window hints older than this are dropped and their target flagged for anti-entropy
 * @param segmentBytes a target's hint segment rolls at this size
 * @param indexMaxBytes memory for the index that lets a fallback answer reads from its hints;
 *     hints beyond it are still stored and delivered, only not read from until handed off
 * @param sweepInterval how often the handoff manager looks for deliverable hints and expiry (it
 *     also starts at once when the failure detector sees a target come up)
 * @param maxBytesPerSecond cap on the hint bytes one node replays per second, over all targets
 * @param batchHints hints sent per batch before the checkpoint advances
 */
public record HintsConfig(
    Duration window,
    long segmentBytes,
    long indexMaxBytes,
    Duration sweepInterval,
    long maxBytesPerSecond,
    int batchHints) {

  public static HintsConfig defaults() {
    return new HintsConfig(Duration.ofHours(3), 8L << 20, 64L << 20, Duration.ofSeconds(10),
        8L << 20, 128);
  }
}
