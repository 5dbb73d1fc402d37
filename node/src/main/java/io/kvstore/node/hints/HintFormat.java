package io.kvstore.node.hints;

import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.ring.NodeId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Encoders and constants of the hint segment and checkpoint formats; FORMAT.md beside this file is
 * the byte-exact specification and this class must agree with it. Stateless and thread safe.
 *
 * <p>Integers are big-endian ({@link ByteBuffer}'s default); every stored checksum is a masked
 * CRC-32C (lsm's {@link Crc32c}).
 */
final class HintFormat {
  /** "KVHN": a hint segment. */
  static final int SEGMENT_MAGIC = 0x4B56484E;
  /** "KVHC": a hint checkpoint. */
  static final int CHECKPOINT_MAGIC = 0x4B564843;
  static final int VERSION = 1;

  /** magic (4) + version (4) + segment number (8) + target id length (2); then id and CRC (4). */
  static final int SEGMENT_HEADER_FIXED = 18;
  /** length (4) + length check (4) + record CRC (4). */
  static final int RECORD_HEADER_SIZE = 12;
  /** Largest record payload: 64 MiB. */
  static final int MAX_PAYLOAD_SIZE = 64 << 20;
  /** magic (4) + version (4) + segment (8) + offset (8) + CRC (4). */
  static final int CHECKPOINT_SIZE = 28;

  private HintFormat() {}

  static int segmentHeaderSize(NodeId target) {
    return SEGMENT_HEADER_FIXED + utf8(target).length + 4;
  }

  static byte[] encodeSegmentHeader(long segment, NodeId target) {
    byte[] id = utf8(target);
    ByteBuffer b = ByteBuffer.allocate(SEGMENT_HEADER_FIXED + id.length + 4);
    b.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(segment).putShort((short) id.length).put(id);
    b.putInt(Crc32c.masked(b.array(), 0, b.position()));
    return b.array();
  }

  /** The whole framed record (header + payload) carrying {@code payload}. */
  static byte[] frame(byte[] payload) {
    byte[] r = new byte[RECORD_HEADER_SIZE + payload.length];
    ByteBuffer b = ByteBuffer.wrap(r);
    b.putInt(payload.length);
    b.putInt(lengthCheck(r, 0));
    System.arraycopy(payload, 0, r, RECORD_HEADER_SIZE, payload.length);
    b.putInt(recordCrc(r, 0, r, RECORD_HEADER_SIZE, payload.length));
    return r;
  }

  /** Masked CRC-32C of the 4 length bytes at {@code header[off..]}. */
  static int lengthCheck(byte[] header, int off) {
    return Crc32c.masked(header, off, 4);
  }

  /** Masked CRC-32C of length and length check ({@code header[off..off+8)}) then the payload. */
  static int recordCrc(byte[] header, int off, byte[] payload, int pOff, int pLen) {
    CRC32C crc = new CRC32C();
    crc.update(header, off, 8);
    crc.update(payload, pOff, pLen);
    return Crc32c.mask((int) crc.getValue());
  }

  static byte[] encodeHint(Hint h) {
    byte[] coord = utf8(h.coordinator());
    byte[] key = h.key();
    byte[] sib = h.siblings();
    ByteBuffer b = ByteBuffer.allocate(8 + 1 + coord.length + 4 + key.length + 4 + sib.length);
    b.putLong(h.createdMillis()).put((byte) coord.length).put(coord);
    b.putInt(key.length).put(key).putInt(sib.length).put(sib);
    return b.array();
  }

  /** Decodes a payload whose CRC passed; throws IllegalArgumentException if it is malformed. */
  static Hint decodeHint(byte[] payload) {
    try {
      ByteBuffer b = ByteBuffer.wrap(payload);
      long created = b.getLong();
      NodeId coordinator = NodeId.of(string(b, b.get() & 0xff));
      byte[] key = bytes(b, b.getInt());
      byte[] sib = bytes(b, b.getInt());
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes in hint payload");
      }
      return new Hint(key, sib, created, coordinator);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("hint payload ends early", e);
    }
  }

  static byte[] encodeCheckpoint(HintPosition p) {
    ByteBuffer b = ByteBuffer.allocate(CHECKPOINT_SIZE);
    b.putInt(CHECKPOINT_MAGIC).putInt(VERSION).putLong(p.segment()).putLong(p.offset());
    b.putInt(Crc32c.masked(b.array(), 0, CHECKPOINT_SIZE - 4));
    return b.array();
  }

  /** Decodes a checkpoint file's bytes; throws IllegalArgumentException saying what is wrong. */
  static HintPosition decodeCheckpoint(byte[] f) {
    if (f.length != CHECKPOINT_SIZE) {
      throw new IllegalArgumentException("expected " + CHECKPOINT_SIZE + " bytes, found " + f.length);
    }
    ByteBuffer b = ByteBuffer.wrap(f);
    if (b.getInt(0) != CHECKPOINT_MAGIC) {
      throw new IllegalArgumentException(String.format("bad magic 0x%08x", b.getInt(0)));
    }
    if (b.getInt(24) != Crc32c.masked(f, 0, 24)) {
      throw new IllegalArgumentException("checkpoint checksum mismatch");
    }
    if (b.getInt(4) != VERSION) {
      throw new IllegalArgumentException("unsupported checkpoint version " + b.getInt(4));
    }
    return new HintPosition(b.getLong(8), b.getLong(16));
  }

  static byte[] utf8(NodeId id) {
    return id.id().getBytes(StandardCharsets.UTF_8);
  }

  private static String string(ByteBuffer b, int n) {
    return new String(bytes(b, n), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(ByteBuffer b, int n) {
    if (n < 0 || n > b.remaining()) {
      throw new IllegalArgumentException("field length " + n + " exceeds the payload");
    }
    byte[] out = new byte[n];
    b.get(out);
    return out;
  }
}
