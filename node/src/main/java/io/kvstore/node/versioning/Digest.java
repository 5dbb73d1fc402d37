package io.kvstore.node.versioning;

import com.google.common.hash.HashCode;
import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;

/**
 * The digest of a {@link SiblingSet} (FORMAT.md, "Sibling set digest"): the first {@value #BYTES}
 * bytes of SHA-256 over the set's encoding. A replica answers a digest read with it instead of the
 * set, and the coordinator compares it with the digests of the full answers it has: the encoding
 * is canonical, so equal sets have equal digests however they were built. SHA-256 rather than a
 * faster non-cryptographic hash because values are client bytes: a client must not be able to
 * make two different states collide and so hide a stale replica from read repair.
 *
 * <p>Thread safety: immutable value. Invariant: {@code hash} has {@value #BYTES} bytes.
 */
public record Digest(HashCode hash) {
  /** Length of a digest in bytes. */
  public static final int BYTES = 16;
  private static final HashFunction SHA_256 = Hashing.sha256();

  public Digest {
    if (hash.bits() != BYTES * 8) {
      throw new IllegalArgumentException("a digest is " + BYTES + " bytes, got " + hash.bits() / 8);
    }
  }

  /** The digest of {@code state}; the empty set (a key never written) has one too. */
  public static Digest of(SiblingSet state) {
    byte[] first = new byte[BYTES];
    SHA_256.hashBytes(state.encode()).writeBytesTo(first, 0, BYTES);
    return new Digest(HashCode.fromBytes(first));
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
    return new Digest(HashCode.fromBytes(bytes));
  }

  public byte[] toBytes() {
    return hash.asBytes();
  }
}
