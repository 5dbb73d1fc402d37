package io.kvstore.node.versioning;

import java.util.Base64;

/**
 * The opaque causal context a read hands to a client and a write brings back: the merged version
 * vector of what the client saw. Binary form for the wire API, URL-safe base64 (no padding) for
 * the command line. An empty context (zero bytes, empty string) means a blind write.
 *
 * <p>Contexts come from untrusted clients, so {@link #decode(byte[], Limits)} bounds the size and
 * the actor count before allocating and validates every field (FORMAT.md, "Causal context"). The
 * CRC catches accidental damage, not forgery: a client can always send a context that covers more
 * than it read.
 *
 * <p>Thread safety: immutable value.
 */
public final class CausalContext {
  /** The blind-write context. */
  public static final CausalContext EMPTY = new CausalContext(VersionVector.EMPTY);

  static final int VERSION = 1;
  private static final String WHAT = "causal context";
  /** Version byte, actor count, CRC. */
  private static final int MIN_SIZE = 1 + 4 + 4;

  /** Decoding bounds for contexts received from clients. */
  public record Limits(int maxBytes, int maxActors) {
    /** 64 KiB and 10,000 actors. */
    public static final Limits DEFAULT = new Limits(64 * 1024, 10_000);

    public Limits {
      if (maxBytes < MIN_SIZE || maxActors < 0) {
        throw new IllegalArgumentException("bad context limits " + maxBytes + "/" + maxActors);
      }
    }
  }

  private final VersionVector vector;

  private CausalContext(VersionVector vector) {
    this.vector = vector;
  }

  public static CausalContext of(VersionVector vector) {
    return vector.isEmpty() ? EMPTY : new CausalContext(vector);
  }

  /** The clock the client saw; empty for a blind write. */
  public VersionVector vector() {
    return vector;
  }

  public boolean isEmpty() {
    return vector.isEmpty();
  }

  /** Binary form; zero bytes for the empty context. */
  public byte[] encode() {
    if (vector.isEmpty()) {
      return new byte[0];
    }
    ByteWriter out = new ByteWriter(MIN_SIZE + vector.size() * 40);
    out.u8(VERSION);
    vector.writeTo(out);
    out.crc32cFooter();
    return out.toByteArray();
  }

  /** URL-safe base64 of {@link #encode()}, without padding; "" for the empty context. */
  public String encodeToString() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(encode());
  }

  /** {@link #decode(byte[], Limits)} with {@link Limits#DEFAULT}. */
  public static CausalContext decode(byte[] bytes) {
    return decode(bytes, Limits.DEFAULT);
  }

  /**
   * Decodes a binary context; zero bytes give {@link #EMPTY}.
   *
   * @throws MalformedVersionException if the input is malformed or above {@code limits}
   */
  public static CausalContext decode(byte[] bytes, Limits limits) {
    if (bytes == null || bytes.length == 0) {
      return EMPTY;
    }
    if (bytes.length > limits.maxBytes()) {
      throw new MalformedVersionException(
          WHAT, -1, bytes.length + " bytes exceed the limit of " + limits.maxBytes());
    }
    int version = bytes[0] & 0xff;
    if (version != VERSION) {
      throw new MalformedVersionException(
          WHAT, 0, "unsupported format version " + version + " (this reader knows " + VERSION + ")");
    }
    if (bytes.length < MIN_SIZE) {
      throw new MalformedVersionException(
          WHAT, bytes.length, "truncated: " + bytes.length + " bytes < minimum " + MIN_SIZE);
    }
    SiblingSetFormat.checkCrc(bytes, WHAT);
    ByteReader in = new ByteReader(bytes, 1, bytes.length - 4, WHAT);
    VersionVector vv = VersionVector.readFrom(in, limits.maxActors());
    in.expectEnd();
    return of(vv);
  }

  /** {@link #parse(String, Limits)} with {@link Limits#DEFAULT}. */
  public static CausalContext parse(String text) {
    return parse(text, Limits.DEFAULT);
  }

  /**
   * Decodes the string form; "" gives {@link #EMPTY}. Rejects padding, characters outside the
   * URL-safe alphabet and non-canonical base64 (non-zero unused bits).
   *
   * @throws MalformedVersionException if the text is malformed or above {@code limits}
   */
  public static CausalContext parse(String text, Limits limits) {
    if (text == null || text.isEmpty()) {
      return EMPTY;
    }
    long maxChars = ((long) limits.maxBytes() * 4 + 2) / 3;
    if (text.length() > maxChars) {
      throw new MalformedVersionException(
          WHAT, -1, text.length() + " characters exceed the limit of " + maxChars);
    }
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new MalformedVersionException(WHAT, -1, "not URL-safe base64: " + e.getMessage());
    }
    if (text.indexOf('=') >= 0
        || !Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(text)) {
      throw new MalformedVersionException(WHAT, -1, "not canonical unpadded URL-safe base64");
    }
    return decode(bytes, limits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext c && vector.equals(c.vector);
  }

  @Override
  public int hashCode() {
    return vector.hashCode();
  }

  @Override
  public String toString() {
    return "CausalContext" + vector;
  }
}
