package io.kvstore.node.versioning;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The digest of a {@link SiblingSet} (FORMAT.md, "Sibling set digest"): the first {@value #BYTES}
 * bytes of SHA-256 over the set's encoding. A replica answers a digest read with it instead of the
 * set, and the coordinator compares it with the digests of the full answers it has: the encoding
 * is canonical, so equal sets have equal digests however they were built. SHA-256 rather than a
 * faster non-cryptographic hash because values are client bytes: a client must not be able to
 * make two different states collide and so hide a stale replica from read repair.
 *
 * <p>Thread safety: immutable value.
 */
public final class Digest {
  /** Length of a digest in bytes. */
  public static final int BYTES = 16;
  private final byte[] bytes;

  private Digest(byte[] bytes) {
    this.bytes = bytes;
  }

  /** The digest of {@code state}; the empty set (a key never written) has one too. */
  public static Digest of(SiblingSet state) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    return new Digest(Arrays.copyOf(sha.digest(state.encode()), BYTES));
  }

  /**
   * A digest received from a replica.
   *
   * @throws MalformedVersionException if it is not {@value #BYTES} bytes long
   */
  public static Digest fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length != BYTES) {
      throw new MalformedVersionException("sibling set digest", -1, "a digest is " + BYTES
          + " bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    return new Digest(bytes.clone());
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Digest d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
