package io.kvstore.node.versioning;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A writer identity in version vectors: one start ("incarnation") of one server node. A node takes
 * a fresh incarnation from {@link IncarnationStore} at every start, before it coordinates any
 * write, so an actor is never reused after a crash and can never issue a dot twice (Riak KV679;
 * VERSIONING.md "Actor identity").
 *
 * <p>Ordering: by node id in code point order (equal to the unsigned byte order of its UTF-8, so
 * other languages can reproduce it), then incarnation. Encoded forms list actors in this order,
 * which makes the encodings canonical.
 *
 * <p>Thread safety: immutable value.
 *
 * <p>Invariants: node id is well-formed Unicode of 1..{@value #MAX_NODE_ID_BYTES} UTF-8 bytes;
 * incarnation >= 1.
 */
public record Actor(String nodeId, long incarnation) implements Comparable<Actor> {
  /** Longest node id, in UTF-8 bytes (its length is stored in one byte). */
  public static final int MAX_NODE_ID_BYTES = 255;

  public Actor {
    if (nodeId == null) {
      throw new IllegalArgumentException("node id is null");
    }
    int len = isAscii(nodeId) ? nodeId.length() : utf8(nodeId).length;
    if (len < 1 || len > MAX_NODE_ID_BYTES) {
      throw new IllegalArgumentException(
          "node id must be 1.." + MAX_NODE_ID_BYTES + " UTF-8 bytes, got " + len);
    }
    if (incarnation < 1) {
      throw new IllegalArgumentException("incarnation must be >= 1, got " + incarnation);
    }
  }

  @Override
  public int compareTo(Actor o) {
    int c = compareCodePoints(nodeId, o.nodeId);
    return c != 0 ? c : Long.compare(incarnation, o.incarnation);
  }

  /** Code point order, which for well-formed strings is the unsigned order of their UTF-8. */
  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  }

  @Override
  public String toString() {
    return nodeId + "#" + incarnation;
  }

  /** Writes: u8 id length, id bytes (UTF-8), i64 incarnation. See FORMAT.md. */
  void writeTo(ByteWriter out) {
    // The constructor checked that the id is well-formed (strictly encodable), so the lenient
    // String.getBytes, which needs no encoder per call, gives the same bytes.
    byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
    out.u8(id.length);
    out.bytes(id);
    out.i64(incarnation);
  }

  /** Reads what {@link #writeTo} wrote, validating every field. */
  static Actor readFrom(ByteReader in) {
    int idOffset = in.position();
    int len = in.u8();
    if (len == 0) {
      throw in.malformed(idOffset, "empty node id");
    }
    byte[] id = in.bytes(len);
    String nodeId;
    if (ascii(id)) {
      nodeId = new String(id, StandardCharsets.US_ASCII); // the common case needs no decoder
    } else {
      try {
        nodeId =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(id))
                .toString();
      } catch (CharacterCodingException e) {
        throw in.malformed(idOffset + 1, "node id is not valid UTF-8");
      }
    }
    int incOffset = in.position();
    long incarnation = in.i64();
    if (incarnation < 1) {
      throw in.malformed(incOffset, "incarnation " + incarnation + " < 1");
    }
    return new Actor(nodeId, incarnation);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  private static boolean ascii(byte[] b) {
    for (byte x : b) {
      if (x < 0) {
        return false;
      }
    }
    return true;
  }

  /** Strict UTF-8: an unpaired surrogate cannot be encoded and so cannot round-trip. */
  private static byte[] utf8(String s) {
    CharsetEncoder enc =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer b = enc.encode(CharBuffer.wrap(s));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("node id is not well-formed Unicode: " + s, e);
    }
  }
}
