package io.kvstore.node.hints;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and lists what readers stepped over: corrupt records, torn tails and expired hints. Every
 * problem is logged once, with file and offset, when it is noted.
 *
 * <p>Thread safety: none; owned by one reader (or by the store's single-threaded open).
 */
final class ReadReport {
  private static final Logger log = LoggerFactory.getLogger(ReadReport.class);
  /** Problems kept for callers; the counts keep counting past this. */
  private static final int MAX_LISTED = 1000;

  private final List<HintProblem> problems = new ArrayList<>();
  private long corrupt;
  private long torn;
  private long expired;

  void note(HintProblem p) {
    if (p.kind() == HintProblem.Kind.CORRUPT) {
      corrupt++;
      log.warn("hint store: skipping {}", p);
    } else {
      torn++;
      log.info("hint store: {}", p);
    }
    if (problems.size() < MAX_LISTED) {
      problems.add(p);
    }
  }

  void expired(long n) {
    expired += n;
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
