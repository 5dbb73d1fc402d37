package io.kvstore.lsm.sstable;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.internal.Bytes;
import java.nio.file.Path;

/**
 * Constants of the table file format (see FORMAT.md beside this file) and the file header codec.
 * Static and stateless.
 *
 * <p>Invariant: {@link #FOOTER_SIZE} and the positions of the version, CRC and magic fields at the
 * end of the footer never change between format versions, so any reader can tell "too new" from
 * "damaged".
 */
final class TableFormat {
  /** ASCII "kvsstabl": first 8 bytes of every table file. */
  static final long HEADER_MAGIC = 0x6b767373_7461626cL;
  /** ASCII "kvsstend": last 8 bytes of every complete table file. */
  static final long FOOTER_MAGIC = 0x6b767373_74656e64L;

  /** The version this code writes. */
  static final int FORMAT_VERSION = 1;
  /** The oldest version this code reads. */
  static final int MIN_READABLE_VERSION = 1;

  /** Header: magic (8) + version (4). */
  static final int HEADER_SIZE = 12;
  /** Footer: fixed size in every version. */
  static final int FOOTER_SIZE = 64;
  /** Block trailer: type (1) + masked CRC32C (4). */
  static final int BLOCK_TRAILER_SIZE = 5;
  /** The only block type so far: contents stored as is. */
  static final byte BLOCK_TYPE_UNCOMPRESSED = 0;

  /** Smallest possible file: header, empty filter and index blocks, footer. */
  static final long MIN_FILE_SIZE = HEADER_SIZE + 2L * BLOCK_TRAILER_SIZE + 4 + FOOTER_SIZE;

  private TableFormat() {}

  static byte[] encodeHeader() {
    byte[] h = new byte[HEADER_SIZE];
    Bytes.putLong(h, 0, HEADER_MAGIC);
    Bytes.putInt(h, 8, FORMAT_VERSION);
    return h;
  }

  /** Checks a header read from offset 0; returns its version. */
  static int checkHeader(Path file, byte[] h) {
    long magic = Bytes.getLong(h, 0);
    if (magic != HEADER_MAGIC) {
      throw new CorruptionException(
          file,
          0,
          String.format(
              "bad header magic 0x%016x (expected 0x%016x): not a table file",
              magic,
              HEADER_MAGIC));
    }
    int version = Bytes.getInt(h, 8);
    checkVersion(file, 0, "header", version);
    return version;
  }

  /** Rejects versions outside [MIN_READABLE_VERSION, FORMAT_VERSION] with a precise reason. */
  static void checkVersion(Path file, long offset, String where, int version) {
    if (Integer.compareUnsigned(version, FORMAT_VERSION) > 0) {
      throw new CorruptionException(
          file,
          offset,
          where
              + " format version "
              + Integer.toUnsignedString(version)
              + " is too new (this reader supports "
              + MIN_READABLE_VERSION
              + ".."
              + FORMAT_VERSION
              + ")");
    }
    if (version < MIN_READABLE_VERSION) {
      throw new CorruptionException(
          file,
          offset,
          where
              + " format version "
              + version
              + " is too old (this reader supports "
              + MIN_READABLE_VERSION
              + ".."
              + FORMAT_VERSION
              + ")");
    }
  }
}
