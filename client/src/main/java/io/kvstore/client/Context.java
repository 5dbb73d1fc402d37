package io.kvstore.client;

import java.util.Arrays;
import java.util.Base64;

/**
 * The opaque causal context of a key, as returned by a read or a write. Pass it unchanged to
 * the next put or delete of the same key: that write then supersedes exactly the siblings the
 * context covers. Clients never build or edit one, and a context of one key must not be used
 * for another.
 *
 * <p>The string form ({@link #toBase64()}) is URL-safe base64 without padding of the bytes, the
 * same as the server's own string form, so it can be copied between the {@code kv} tool and
 * programs.
 *
 * <p>Immutable and thread safe. Invariant: the bytes are never exposed without a copy.
 */
public final class Context {
  /** No context: a write with it is a blind write that supersedes nothing. */
  public static final Context EMPTY = new Context(new byte[0]);

  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private final byte[] bytes;

  private Context(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of {@code bytes}; an empty array gives {@link #EMPTY}. */
  public static Context of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Context(bytes.clone());
  }

  /**
   * Parses the string form; "" gives {@link #EMPTY}.
   *
   * @throws IllegalArgumentException if the text is not canonical URL-safe base64 without
   *     padding (other characters, '=' padding, an impossible length, or non-zero unused bits)
   */
  public static Context fromBase64(String text) {
    if (text.isEmpty()) {
      return EMPTY;
    }
    if (text.indexOf('=') >= 0) {
      throw new IllegalArgumentException("malformed context: padding '=' is not allowed");
    }
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "malformed context: not URL-safe base64 (" + e.getMessage() + ")", e);
    }
    if (!ENCODER.encodeToString(decoded).equals(text)) {
      throw new IllegalArgumentException("malformed context: not canonical base64");
    }
    return of(decoded);
  }

  /** The string form: URL-safe base64 without padding; "" for {@link #EMPTY}. */
  public String toBase64() {
    return ENCODER.encodeToString(bytes);
  }

  /** A copy of the bytes, as sent on the wire. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Context c && Arrays.equals(bytes, c.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return isEmpty() ? "Context.EMPTY" : "Context(" + toBase64() + ")";
  }
}
