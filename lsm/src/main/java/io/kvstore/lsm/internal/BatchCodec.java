package io.kvstore.lsm.internal;

import io.kvstore.lsm.WriteBatch;
import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes a group of write batches into one commit-log record payload and decodes it back (see
 * lsm/FORMAT.md, "Batch payload"). A record holds consecutive sequence numbers starting at
 * {@code firstSeq}, one per operation. Stateless.
 */
public final class BatchCodec {
  /** Receives decoded operations during replay. */
  public interface Sink {
    void apply(long seq, byte type, byte[] key, byte[] value);
  }

  private BatchCodec() {}

  public static byte[] encode(long firstSeq, List<WriteBatch> batches) {
    int count = 0;
    long bytes = 12;
    for (WriteBatch b : batches) {
      count += b.size();
      bytes += b.approximateBytes() + 8L * b.size();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(bytes, 1 << 26));
    byte[] header = new byte[12];
    Bytes.putLong(header, 0, firstSeq);
    Bytes.putInt(header, 8, count);
    out.writeBytes(header);
    for (WriteBatch b : batches) {
      for (WriteBatch.Op op : b.ops()) {
        out.write(op.isDelete() ? InternalKey.TYPE_DELETE : InternalKey.TYPE_PUT);
        writeVarint(out, op.key().length);
        out.writeBytes(op.key());
        if (!op.isDelete()) {
          writeVarint(out, op.value().length);
          out.writeBytes(op.value());
        }
      }
    }
    return out.toByteArray();
  }

  /**
   * Decodes a payload, calling the sink for each operation.
   *
   * @return the last sequence number in the payload
   * @throws IllegalArgumentException if the payload is malformed (the caller reports corruption)
   */
  public static long decode(byte[] payload, Sink sink) {
    if (payload.length < 12) {
      throw new IllegalArgumentException("batch payload shorter than its 12-byte header");
    }
    long seq = Bytes.getLong(payload, 0);
    int count = Bytes.getInt(payload, 8);
    if (count < 0 || seq < 1 || seq + count - 1 > InternalKey.MAX_SEQ) {
      throw new IllegalArgumentException("bad batch header: seq " + seq + " count " + count);
    }
    int[] pos = {12};
    for (int i = 0; i < count; i++) {
      if (pos[0] >= payload.length) {
        throw new IllegalArgumentException("batch payload ends after " + i + " of " + count);
      }
      byte type = payload[pos[0]++];
      if (type != InternalKey.TYPE_PUT && type != InternalKey.TYPE_DELETE) {
        throw new IllegalArgumentException("bad operation type " + type + " at " + (pos[0] - 1));
      }
      byte[] key = readBytes(payload, pos);
      byte[] value = type == InternalKey.TYPE_PUT ? readBytes(payload, pos) : null;
      sink.apply(seq + i, type, key, value);
    }
    if (pos[0] != payload.length) {
      throw new IllegalArgumentException("trailing bytes after " + count + " operations");
    }
    return seq + count - 1;
  }

  private static byte[] readBytes(byte[] p, int[] pos) {
    int len = readVarint(p, pos);
    if (len < 0 || len > p.length - pos[0]) {
      throw new IllegalArgumentException("length " + len + " runs past the payload at " + pos[0]);
    }
    byte[] out = new byte[len];
    System.arraycopy(p, pos[0], out, 0, len);
    pos[0] += len;
    return out;
  }

  static void writeVarint(ByteArrayOutputStream out, int v) {
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  static int readVarint(byte[] p, int[] pos) {
    int result = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (pos[0] >= p.length) {
        throw new IllegalArgumentException("varint runs past the payload");
      }
      int b = p[pos[0]++] & 0xff;
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalArgumentException("varint longer than 5 bytes");
  }
}
