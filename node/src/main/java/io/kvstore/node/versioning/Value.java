package io.kvstore.node.versioning;

import java.util.Arrays;

/**
 * The payload of one sibling: either client bytes or a tombstone (the value of a delete). A
 * tombstone carries no bytes ({@link #bytes()} is empty) but the wall-clock time of its delete,
 * stamped by the coordinator: the grace period of tombstone purge counts from it.
 *
 * <p>Thread safety: immutable; the byte array is copied in and out.
 *
 * <p>Invariant: a tombstone's bytes are empty; a live value's time is 0.
 */
public final class Value {
  private static final byte[] NONE = new byte[0];

  /**
   * The value a delete request carries before its coordinator stamps the time ({@link
   * #tombstone(long)}); a stored tombstone always has its delete's time.
   */
  public static final Value TOMBSTONE = new Value(NONE, true, 0);

  private final byte[] bytes;
  private final boolean tombstone;
  private final long deletedAtMillis;

  private Value(byte[] bytes, boolean tombstone, long deletedAtMillis) {
    this.bytes = bytes;
    this.tombstone = tombstone;
    this.deletedAtMillis = deletedAtMillis;
  }

  /** A tombstone of a delete coordinated at {@code deletedAtMillis} (wall clock, ms since 1970). */
  public static Value tombstone(long deletedAtMillis) {
    return deletedAtMillis == 0 ? TOMBSTONE : new Value(NONE, true, deletedAtMillis);
  }

  /** A live value holding a copy of {@code bytes} (which may be empty). */
  public static Value of(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("value bytes are null (use Value.TOMBSTONE to delete)");
    }
    return new Value(bytes.clone(), false, 0);
  }

  /** Takes ownership of {@code bytes} without copying; for decoders that own a fresh array. */
  static Value wrap(byte[] bytes) {
    return new Value(bytes, false, 0);
  }

  /** True for the value of a delete. */
  public boolean tombstone() {
    return tombstone;
  }

  /** When the delete of a tombstone was coordinated (ms since 1970); 0 for a live value. */
  public long deletedAtMillis() {
    return deletedAtMillis;
  }

  /** A copy of the bytes; empty for a tombstone. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Number of bytes (0 for a tombstone). */
  public int length() {
    return bytes.length;
  }

  /** The internal array, for encoders; callers must not modify it. */
  byte[] unsafeBytes() {
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Value v && tombstone == v.tombstone
        && deletedAtMillis == v.deletedAtMillis && Arrays.equals(bytes, v.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + (tombstone ? 1 + Long.hashCode(deletedAtMillis) : 0);
  }

  @Override
  public String toString() {
    if (tombstone) {
      return "TOMBSTONE@" + deletedAtMillis;
    }
    StringBuilder sb = new StringBuilder("Value[").append(bytes.length).append("B");
    for (int i = 0; i < Math.min(bytes.length, 8); i++) {
      sb.append(i == 0 ? " " : "").append(String.format("%02x", bytes[i] & 0xff));
    }
    return sb.append(bytes.length > 8 ? "..]" : "]").toString();
  }
}
