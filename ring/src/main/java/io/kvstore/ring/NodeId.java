package io.kvstore.ring;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The identity of a physical node in the ring, such as {@code "n1"}.
 *
 * <p>Immutable and thread-safe. Invariants: the id is non-empty, at most {@link #MAX_UTF8_BYTES}
 * bytes of UTF-8 (so it fits the one-byte length prefix of the ring encoding, see FORMAT.md) and
 * contains no whitespace or control characters (ids appear in logs, configs and command lines).
 * Ordered by the id string; that order decides the initial round-robin assignment.
 */
public record NodeId(String id) implements Comparable<NodeId> {
  /** Longest id accepted, in UTF-8 bytes. */
  public static final int MAX_UTF8_BYTES = 255;

  public NodeId {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("node id must not be empty");
    }
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(id)) {
      throw new IllegalArgumentException("node id is not valid Unicode (lone surrogate): " + id);
    }
    if (id.getBytes(StandardCharsets.UTF_8).length > MAX_UTF8_BYTES) {
      throw new IllegalArgumentException(
          "node id longer than " + MAX_UTF8_BYTES + " UTF-8 bytes: " + id.substring(0, 32) + "...");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "node id contains whitespace or a control character at index " + i + ": " + id);
      }
    }
  }

  /** Shorthand for {@code new NodeId(id)}. */
  public static NodeId of(String id) {
    return new NodeId(id);
  }

  @Override
  public int compareTo(NodeId other) {
    return id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return id;
  }
}
