package io.kvstore.node.hints;

import java.nio.file.Path;

/**
 * Something a reader found wrong in a hint segment and stepped over, named by file and by the byte
 * offset where the bad data starts, so an operator can look at it.
 *
 * <p>Immutable value; thread safe.
 */
public record HintProblem(Kind kind, Path file, long offset, String reason) {
  /** What the reader did about it. */
  public enum Kind {
    /** A bad record was skipped (the rest of the segment too if its length could not be trusted). */
    CORRUPT,
    /** The segment ends in a partial record that was never acknowledged; reading ends there. */
    TORN
  }

  @Override
  public String toString() {
    return kind + " in " + file + " at offset " + offset + ": " + reason;
  }
}
