package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.history.Op;

/**
 * Which client operations an availability report counts: all of them, the reads, or the writes
 * (adds, register writes and deletes). Final and raw reads are the harness's, never counted.
 */
public enum OpClass {
  /** Client reads, adds, writes and deletes. */
  ALL("operations"),
  /** Client reads. */
  READS("reads"),
  /** Adds, writes and deletes. */
  WRITES("writes");

  private final String plural;

  OpClass(String plural) {
    this.plural = plural;
  }

  /** "operations", "reads", "writes": for messages. */
  public String plural() {
    return plural;
  }

  /** Whether an operation of function {@code f} is counted. */
  public boolean includes(Op.F f) {
    return switch (this) {
      case ALL -> f.isWrite() || f == Op.F.READ;
      case READS -> f == Op.F.READ;
      case WRITES -> f.isWrite();
    };
  }
}
