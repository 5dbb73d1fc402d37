package io.kvstore.bench.ycsb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Encodes a YCSB record (field name to bytes) into one kvstore value and back; the byte layout
 * is in FORMAT.md beside this class. Fields are written in name order, so one record has exactly
 * one encoding.
 *
 * <p>Stateless and thread safe.
 */
public final class FieldCodec {
  /** The first byte of every encoded record. */
  static final byte VERSION = 1;
  private static final int MAX_NAME_BYTES = 0xFFFF;

  private FieldCodec() {}

  /** The encoding of {@code fields}, in name order. */
  public static byte[] encode(Map<String, byte[]> fields) {
    SortedMap<String, byte[]> sorted = new TreeMap<>(fields);
    int size = 1 + 2;
    for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
      size += 2 + utf8(f.getKey()).length + 4 + f.getValue().length;
    }
    if (sorted.size() > 0xFFFF) {
      throw new IllegalArgumentException("too many fields: " + sorted.size());
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.BIG_ENDIAN);
    out.put(VERSION).putShort((short) sorted.size());
    for (Map.Entry<String, byte[]> f : sorted.entrySet()) {
      byte[] name = utf8(f.getKey());
      out.putShort((short) name.length).put(name).putInt(f.getValue().length).put(f.getValue());
    }
    return out.array();
  }

  /**
   * The fields of an encoded record, in name order.
   *
   * @throws MalformedRecordException if {@code value} is not one whole record of this format
   */
  public static SortedMap<String, byte[]> decode(byte[] value) {
    ByteBuffer in = ByteBuffer.wrap(value).order(ByteOrder.BIG_ENDIAN);
    need(in, 3, "header");
    byte version = in.get();
    if (version != VERSION) {
      throw new MalformedRecordException("unknown version " + version + " at offset 0");
    }
    int count = Short.toUnsignedInt(in.getShort());
    SortedMap<String, byte[]> fields = new TreeMap<>();
    String previous = null;
    for (int i = 0; i < count; i++) {
      need(in, 2, "field " + i + " name length");
      byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
      need(in, name.length, "field " + i + " name");
      in.get(name);
      need(in, 4, "field " + i + " value length");
      int length = in.getInt();
      if (length < 0) {
        throw new MalformedRecordException("negative value length at offset " + (in.position() - 4));
      }
      need(in, length, "field " + i + " value");
      byte[] bytes = new byte[length];
      in.get(bytes);
      String key = new String(name, StandardCharsets.UTF_8);
      if (previous != null && previous.compareTo(key) >= 0) {
        throw new MalformedRecordException("field '" + key + "' out of order after '" + previous + "'");
      }
      previous = key;
      fields.put(key, bytes);
    }
    if (in.hasRemaining()) {
      throw new MalformedRecordException(in.remaining() + " trailing bytes at offset " + in.position());
    }
    return fields;
  }

  private static void need(ByteBuffer in, int bytes, String what) {
    if (in.remaining() < bytes) {
      throw new MalformedRecordException("truncated " + what + " at offset " + in.position()
          + ": need " + bytes + " bytes, " + in.remaining() + " left");
    }
  }

  private static byte[] utf8(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    if (b.length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("field name longer than " + MAX_NAME_BYTES + " bytes");
    }
    return b;
  }
}
