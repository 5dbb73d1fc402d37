package io.kvstore.clustertests.history;

/**
 * One sibling of a replica's raw local state, as Admin.GetLocalVersions reports it: the value,
 * whether it is a tombstone, and its dot ("n1.3:7" = actor n1 incarnation 3, counter 7).
 *
 * <p>Thread safety: immutable value. Invariants: dot and value non-null; a tombstone's value
 * is "".
 */
public record RawSibling(String dot, String value, boolean tombstone) {
  public RawSibling {
    if (dot == null || value == null) {
      throw new IllegalArgumentException("dot and value are required");
    }
    if (tombstone && !value.isEmpty()) {
      throw new IllegalArgumentException("a tombstone has no value, got " + value);
    }
  }

  public static RawSibling live(String dot, String value) {
    return new RawSibling(dot, value, false);
  }

  public static RawSibling tombstone(String dot) {
    return new RawSibling(dot, "", true);
  }

  @Override
  public String toString() {
    return dot + "=" + (tombstone ? "<tombstone>" : value);
  }
}
