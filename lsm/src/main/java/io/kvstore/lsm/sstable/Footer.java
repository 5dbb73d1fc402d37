package io.kvstore.lsm.sstable;

import static io.kvstore.lsm.sstable.TableFormat.BLOCK_TRAILER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.FOOTER_MAGIC;
import static io.kvstore.lsm.sstable.TableFormat.FOOTER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.HEADER_SIZE;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import java.nio.file.Path;

/**
 * The fixed-size footer at the end of a table: where the filter and index blocks are, how many
 * entries the table holds, and the format version. Immutable value.
 *
 * <p>Block sizes exclude the 5-byte block trailer. Layout (FORMAT.md): filter offset u64, filter
 * size u32, index offset u64, index size u32, entry count u64, 16 reserved bytes, version u32,
 * masked CRC32C of bytes [0, 52) u32, magic u64. All big-endian.
 */
record Footer(
    long filterOffset, int filterSize, long indexOffset, int indexSize, long entryCount,
    int version) {

  static final int VERSION_POS = 48;
  static final int CRC_POS = 52;
  static final int MAGIC_POS = 56;

  byte[] encode() {
    byte[] f = new byte[FOOTER_SIZE];
    Bytes.putLong(f, 0, filterOffset);
    Bytes.putInt(f, 8, filterSize);
    Bytes.putLong(f, 12, indexOffset);
    Bytes.putInt(f, 20, indexSize);
    Bytes.putLong(f, 24, entryCount);
    Bytes.putInt(f, VERSION_POS, version);
    Bytes.putInt(f, CRC_POS, Crc32c.masked(f, 0, CRC_POS));
    Bytes.putLong(f, MAGIC_POS, FOOTER_MAGIC);
    return f;
  }

  /**
   * Decodes and checks the footer of a file of {@code fileSize} bytes, read from {@code
   * fileSize - FOOTER_SIZE}. Checks, in order: magic, CRC, version, then that the filter and
   * index blocks tile the space between the data blocks and the footer.
   */
  static Footer decode(Path file, long fileSize, byte[] f) {
    long at = fileSize - FOOTER_SIZE;
    long magic = Bytes.getLong(f, MAGIC_POS);
    if (magic != FOOTER_MAGIC) {
      throw new CorruptionException(
          file,
          at,
          String.format(
              "bad footer magic 0x%016x (expected 0x%016x): file truncated, incompletely written,"
                  + " or footer damaged (file size %d)",
              magic, FOOTER_MAGIC, fileSize));
    }
    int stored = Bytes.getInt(f, CRC_POS);
    int actual = Crc32c.masked(f, 0, CRC_POS);
    if (stored != actual) {
      throw new CorruptionException(
          file,
          at,
          String.format(
              "footer checksum mismatch (stored 0x%08x, computed 0x%08x)", stored, actual));
    }
    int version = Bytes.getInt(f, VERSION_POS);
    TableFormat.checkVersion(file, at, "footer", version);
    Footer footer =
        new Footer(
            Bytes.getLong(f, 0),
            Bytes.getInt(f, 8),
            Bytes.getLong(f, 12),
            Bytes.getInt(f, 20),
            Bytes.getLong(f, 24),
            version);
    footer.checkLayout(file, at);
    return footer;
  }

  private void checkLayout(Path file, long footerOffset) {
    boolean ok =
        filterOffset >= HEADER_SIZE
            && filterSize >= 0
            && indexSize >= 0
            && entryCount >= 0
            && filterOffset + filterSize + BLOCK_TRAILER_SIZE == indexOffset
            && indexOffset + indexSize + BLOCK_TRAILER_SIZE == footerOffset;
    if (!ok) {
      throw new CorruptionException(
          file,
          footerOffset,
          "footer block handles inconsistent with file layout: " + this + ", footer at "
              + footerOffset);
    }
  }
}
