package io.kvstore.lsm.wal;

import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import java.util.zip.CRC32C;

/**
 * Constants and encoders of the commit log segment format; FORMAT.md beside this file is the
 * byte-exact specification and this class must agree with it. Stateless and thread safe.
 *
 * <p>Integers are big-endian (as in {@link Bytes}); every stored checksum is a masked CRC-32C
 * ({@link Crc32c}).
 */
public final class LogFormat {
  /** "KVWL" in ASCII. */
  public static final int MAGIC = 0x4B56574C;

  /** The only version this code writes and reads. */
  public static final int VERSION = 1;

  /** magic (4) + version (4) + segment number (8) + header CRC (4). */
  public static final int SEGMENT_HEADER_SIZE = 20;

  /** record CRC (4) + length (4) + length check (4). */
  public static final int RECORD_HEADER_SIZE = 12;

  /** Largest payload a record may carry: 256 MiB. */
  public static final int MAX_PAYLOAD_SIZE = 256 << 20;

  private LogFormat() {}

  static byte[] encodeSegmentHeader(long segmentNumber) {
    byte[] h = new byte[SEGMENT_HEADER_SIZE];
    Bytes.putInt(h, 0, MAGIC);
    Bytes.putInt(h, 4, VERSION);
    Bytes.putLong(h, 8, segmentNumber);
    Bytes.putInt(h, 16, Crc32c.masked(h, 0, 16));
    return h;
  }

  /** Fills {@code dst[off .. off+12)} with the header of a record carrying {@code payload}. */
  static void encodeRecordHeader(byte[] payload, byte[] dst, int off) {
    Bytes.putInt(dst, off + 4, payload.length);
    Bytes.putInt(dst, off + 8, lengthCheck(dst, off + 4));
    Bytes.putInt(dst, off, recordCrc(dst, off, payload, 0, payload.length));
  }

  /** Masked CRC-32C of the 4 length bytes at {@code b[off..]}. */
  static int lengthCheck(byte[] b, int off) {
    return Crc32c.masked(b, off, 4);
  }

  /**
   * Masked CRC-32C over the length and length-check fields of the record header at {@code
   * header[off..]} followed by the payload.
   */
  static int recordCrc(byte[] header, int off, byte[] payload, int pOff, int pLen) {
    CRC32C crc = new CRC32C();
    crc.update(header, off + 4, 8);
    crc.update(payload, pOff, pLen);
    return Crc32c.mask((int) crc.getValue());
  }
}
