package io.kvstore.antientropy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One line of a segment's key listing: a key and its {@link KeyHashes#entryHash} (which covers
 * the whole stored sibling set), what {@link KeyDiff} compares between two replicas.
 *
 * <p>An immutable value, thread-safe: the key is copied in and out. Equality is by key content
 * and hash.
 */
public record KeyHash(byte[] key, long hash) {
  public KeyHash {
    key = Objects.requireNonNull(key, "key").clone();
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  /** The key without a copy, for this package's read-only use. */
  byte[] keyBytes() {
    return key;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyHash other && other.hash == hash && Arrays.equals(other.key, key);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(key) + Long.hashCode(hash);
  }

  @Override
  public String toString() {
    return String.format("KeyHash[%s, %016x]", HexFormat.of().formatHex(key), hash);
  }
}
