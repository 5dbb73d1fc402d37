package io.kvstore.node.versioning;

import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Binary form of a {@link SiblingSet} (FORMAT.md, "Sibling set"): the value stored in the LSM
 * store and sent between replicas. Canonical: actors ascending, siblings ascending by dot, so
 * equal sets have equal bytes (anti-entropy hashes them).
 *
 * <p>Thread safety: stateless.
 */
final class SiblingSetFormat {
  /** 2: tombstones carry their delete time (version 1, before anti-entropy, had none). */
  static final int VERSION = 2;
  static final int MAX_ACTORS = 10_000;
  static final int MAX_SIBLINGS = 10_000;
  static final int KIND_VALUE = 0;
  static final int KIND_TOMBSTONE = 1;
  /** Smallest sibling entry: actor index, counter, kind. */
  private static final int MIN_SIBLING_BYTES = 4 + 8 + 1;
  /** Version byte, actor count, sibling count, CRC. */
  private static final int MIN_SIZE = 1 + 4 + 4 + 4;
  private static final String WHAT = "sibling set";

  private SiblingSetFormat() {}

  record Decoded(VersionVector vv, ImmutableSortedMap<Dot, Value> siblings) {}

  static byte[] encode(VersionVector vv, Map<Dot, Value> siblings) {
    int size = MIN_SIZE + vv.size() * 40;
    for (Value v : siblings.values()) {
      size += MIN_SIBLING_BYTES + 8 + v.length(); // a length or a tombstone's time
    }
    ByteWriter out = new ByteWriter(size);
    out.u8(VERSION);
    vv.writeTo(out);
    List<Actor> index = new ArrayList<>(vv.entries().keySet());
    out.i32(siblings.size());
    siblings.forEach(
        (dot, v) -> {
          out.i32(Collections.binarySearch(index, dot.actor()));
          out.i64(dot.counter());
          if (v.tombstone()) {
            out.u8(KIND_TOMBSTONE);
            out.i64(v.deletedAtMillis());
          } else {
            out.u8(KIND_VALUE);
            out.i32(v.length());
            out.bytes(v.unsafeBytes());
          }
        });
    out.crc32cFooter();
    return out.toByteArray();
  }

  static Decoded decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new MalformedVersionException(WHAT, 0, "empty input");
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
    checkCrc(bytes, WHAT);
    ByteReader in = new ByteReader(bytes, 1, bytes.length - 4, WHAT);
    VersionVector vv = VersionVector.readFrom(in, MAX_ACTORS);
    List<Actor> actors = new ArrayList<>(vv.entries().keySet());
    int m = in.count("sibling", MAX_SIBLINGS, MIN_SIBLING_BYTES);
    ImmutableSortedMap.Builder<Dot, Value> b = ImmutableSortedMap.naturalOrder();
    Dot prev = null;
    for (int i = 0; i < m; i++) {
      Dot dot = readDot(in, vv, actors);
      if (prev != null && prev.compareTo(dot) >= 0) {
        throw in.malformed(
            in.position() - 12,
            prev.equals(dot) ? "duplicate sibling " + dot : "siblings out of order: " + dot);
      }
      b.put(dot, readValue(in));
      prev = dot;
    }
    in.expectEnd();
    return new Decoded(vv, b.build());
  }

  /** Verifies the big-endian CRC-32C in the last 4 bytes against everything before it. */
  static void checkCrc(byte[] bytes, String what) {
    int n = bytes.length - 4;
    int stored =
        ((bytes[n] & 0xff) << 24)
            | ((bytes[n + 1] & 0xff) << 16)
            | ((bytes[n + 2] & 0xff) << 8)
            | (bytes[n + 3] & 0xff);
    int actual = ByteWriter.crc32c(bytes, 0, n);
    if (stored != actual) {
      throw new MalformedVersionException(
          what,
          n,
          String.format("checksum mismatch: stored %08x, computed %08x", stored, actual));
    }
  }

  private static Dot readDot(ByteReader in, VersionVector vv, List<Actor> actors) {
    int at = in.position();
    int idx = in.i32();
    if (idx < 0 || idx >= actors.size()) {
      throw in.malformed(at, "actor index " + idx + " outside 0.." + (actors.size() - 1));
    }
    Actor actor = actors.get(idx);
    long counter = in.i64();
    if (counter < 1) {
      throw in.malformed(at + 4, "sibling counter " + counter + " < 1");
    }
    Dot dot = new Dot(actor, counter);
    if (!vv.covers(dot)) {
      throw in.malformed(at + 4, "sibling " + dot + " not covered by clock " + vv.get(actor));
    }
    return dot;
  }

  private static Value readValue(ByteReader in) {
    int at = in.position();
    int kind = in.u8();
    if (kind == KIND_TOMBSTONE) {
      int timeAt = in.position();
      long deletedAt = in.i64();
      if (deletedAt < 0) {
        throw in.malformed(timeAt, "tombstone time " + deletedAt + " < 0");
      }
      return Value.tombstone(deletedAt);
    }
    if (kind != KIND_VALUE) {
      throw in.malformed(at, "unknown sibling kind " + kind);
    }
    int lenAt = in.position();
    int len = in.i32();
    if (len < 0 || len > in.remaining()) {
      throw in.malformed(
          lenAt, "value length " + len + " outside 0.." + in.remaining() + " (bytes left)");
    }
    return Value.wrap(in.bytes(len));
  }
}
