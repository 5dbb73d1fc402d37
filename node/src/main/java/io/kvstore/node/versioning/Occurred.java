package io.kvstore.node.versioning;

/**
 * The causal relation of one version to another, as Voldemort's {@code Occurred}: {@code
 * a.compare(b) == BEFORE} means a happened before b (b has seen everything a has, and more).
 */
public enum Occurred {
  /** This version is strictly older: the other has seen all of it and more. */
  BEFORE,
  /** This version is strictly newer: it has seen all of the other and more. */
  AFTER,
  /** Both versions have seen exactly the same history. */
  EQUAL,
  /** Each has seen something the other has not. */
  CONCURRENT;

  /** The relation seen from the other side: BEFORE and AFTER swap. */
  public Occurred reverse() {
    return switch (this) {
      case BEFORE -> AFTER;
      case AFTER -> BEFORE;
      default -> this;
    };
  }
}
