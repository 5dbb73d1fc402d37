package io.kvstore.node.hints;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and lists what one reader (or one scan at open) stepped over: corrupt records, torn tails
 * and expired hints. The counts here are everything this reader met; whether a loss is new is
 * decided by the {@link Sink} (the target's {@link LossLedger}), so the store counts and logs each
 * lost record once: new problems at WARN (corrupt) or INFO (torn), ones met before at DEBUG.
 *
 * <p>Thread safety: none; owned by one reader (or by the store's single-threaded open).
 */
final class ReadReport {
  private static final Logger log = LoggerFactory.getLogger(ReadReport.class);
  /** Problems kept for callers; the counts keep counting past this. */
  private static final int MAX_LISTED = 1000;

  /** Learns of each loss a reader meets; answers whether it is the first time anyone did. */
  interface Sink {
    boolean first(HintPosition at, LossLedger.Loss loss);

    /** For scans that only index records: nothing they meet is new. */
    Sink QUIET = (at, loss) -> false;
  }

  private final Sink sink;
  private final List<HintProblem> problems = new ArrayList<>();
  private long corrupt;
  private long torn;
  private long expired;

  ReadReport(Sink sink) {
    this.sink = sink;
  }

  void note(long segment, HintProblem p) {
    boolean isCorrupt = p.kind() == HintProblem.Kind.CORRUPT;
    if (isCorrupt) {
      corrupt++;
    } else {
      torn++;
    }
    LossLedger.Loss loss = isCorrupt ? LossLedger.Loss.CORRUPT : LossLedger.Loss.TORN;
    if (!sink.first(new HintPosition(segment, p.offset()), loss)) {
      log.debug("hint store: met again: {}", p);
    } else if (isCorrupt) {
      log.warn("hint store: skipping {}", p);
    } else {
      log.info("hint store: {}", p);
    }
    if (problems.size() < MAX_LISTED) {
      problems.add(p);
    }
  }

  void expired(long segment, long offset) {
    expired++;
    sink.first(new HintPosition(segment, offset), LossLedger.Loss.EXPIRED);
  }

  /** Adds another report's counts and problems to this one's (not to any sink). */
  void absorb(ReadReport other) {
    corrupt += other.corrupt;
    torn += other.torn;
    expired += other.expired;
    for (HintProblem p : other.problems) {
      if (problems.size() < MAX_LISTED) {
        problems.add(p);
      }
    }
  }

  long corrupt() {
    return corrupt;
  }

  long torn() {
    return torn;
  }

  long expired() {
    return expired;
  }

  List<HintProblem> problems() {
    return List.copyOf(problems);
  }
}
