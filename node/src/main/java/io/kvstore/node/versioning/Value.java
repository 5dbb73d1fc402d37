package io.kvstore.node.versioning;

import java.util.Arrays;

/**
 * The payload of one sibling: either client bytes or a tombstone (the value of a delete). A
 * tombstone carries no bytes ({@link #bytes()} is empty).
 *
 * <p>Thread safety: immutable; the byte array is copied in and out.
 *
 * <p>Invariant: a tombstone's bytes are empty.
 */
public final class Value {
  private static final byte[] NONE = new byte[0];

  /** The value a delete writes. */
  public static final Value TOMBSTONE = new Value(NONE, true);

  private final byte[] bytes;
  private final boolean tombstone;

  private Value(byte[] bytes, boolean tombstone) {
    this.bytes = bytes;
    this.tombstone = tombstone;
  }

  /** A live value holding a copy of {@code bytes} (which may be empty). */
  public static Value of(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("value bytes are null (use Value.TOMBSTONE to delete)");
    }
    return new Value(bytes.clone(), false);
  }

  /** Takes ownership of {@code bytes} without copying; for decoders that own a fresh array. */
  static Value wrap(byte[] bytes) {
    return new Value(bytes, false);
  }

  /** True for the value of a delete. */
  public boolean tombstone() {
    return tombstone;
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
    return o instanceof Value v && tombstone == v.tombstone && Arrays.equals(bytes, v.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes) * 31 + (tombstone ? 1 : 0);
  }

  @Override
  public String toString() {
    if (tombstone) {
      return "TOMBSTONE";
    }
    StringBuilder sb = new StringBuilder("Value[").append(bytes.length).append("B");
    for (int i = 0; i < Math.min(bytes.length, 8); i++) {
      sb.append(i == 0 ? " " : "").append(String.format("%02x", bytes[i] & 0xff));
    }
    return sb.append(bytes.length > 8 ? "..]" : "]").toString();
  }
}
