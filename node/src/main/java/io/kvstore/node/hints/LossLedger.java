package io.kvstore.node.hints;

import java.util.Map;
import java.util.TreeMap;

/**
 * The records of one target already counted as lost (corrupt, torn or expired), by position, so
 * that each is counted and logged once however many readers pass it. Entries go when their segment
 * is deleted; a log holds few (corruption is rare, and expired hints are deleted with their
 * segments by the periodic sweep).
 *
 * <p>Not thread safe: guarded by the owning TargetLog's monitor.
 */
final class LossLedger {
  /** Why a record was lost. */
  enum Loss {
    CORRUPT,
    TORN,
    EXPIRED
  }

  private final TreeMap<HintPosition, Loss> seen = new TreeMap<>();

  /** Records the loss; true if it was not known before. */
  boolean first(HintPosition at, Loss loss) {
    return seen.putIfAbsent(at, loss) == null;
  }

  /** Expired hints already counted in {@code segment} at or after {@code from}. */
  long expiredIn(long segment, long from) {
    long n = 0;
    for (Loss l : range(segment, from).values()) {
      n += l == Loss.EXPIRED ? 1 : 0;
    }
    return n;
  }

  void forgetSegment(long segment) {
    range(segment, 0).clear();
  }

  private Map<HintPosition, Loss> range(long segment, long from) {
    return seen.subMap(new HintPosition(segment, from), true,
        new HintPosition(segment, Long.MAX_VALUE), true);
  }
}
