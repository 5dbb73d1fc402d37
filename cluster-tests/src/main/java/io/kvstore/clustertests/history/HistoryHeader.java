package io.kvstore.clustertests.history;

import java.time.Instant;

/**
 * What identifies a run: the seed every random choice derives from, the scenario's name and the
 * wall-clock time the run started (op times are nanos since then, from a monotonic clock).
 *
 * <p>Thread safety: immutable value. Invariants: scenario and start non-null.
 */
public record HistoryHeader(long seed, String scenario, Instant start) {
  public HistoryHeader {
    if (scenario == null || start == null) {
      throw new IllegalArgumentException("scenario and start are required");
    }
  }
}
