package io.kvstore.node.versioning;

/**
 * One of the concurrent values of a key: the dot of the write that created it and its value
 * (bytes or a tombstone).
 *
 * <p>Thread safety: immutable value.
 */
public record Sibling(Dot dot, Value value) {
  public Sibling {
    if (dot == null || value == null) {
      throw new IllegalArgumentException("sibling needs a dot and a value");
    }
  }

  /** True when this sibling is a delete marker. */
  public boolean tombstone() {
    return value.tombstone();
  }
}
