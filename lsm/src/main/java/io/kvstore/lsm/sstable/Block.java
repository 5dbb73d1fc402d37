package io.kvstore.lsm.sstable;

import static io.kvstore.lsm.sstable.TableFormat.BLOCK_TRAILER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.BLOCK_TYPE_UNCOMPRESSED;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import java.nio.file.Path;

/**
 * A checked, parsed block: its bytes as read from disk (contents + trailer) and where the restart
 * array begins. Immutable and thread safe; this is what {@link BlockCache} holds. Cursors decode
 * entries in place from {@link #data}; nothing is copied per lookup.
 *
 * <p>Invariants (checked by {@link #parse}): the CRC matched; {@code 0 <= restartsOffset};
 * restart points are strictly increasing, start at 0, and lie below {@code restartsOffset};
 * an empty block has no restart points and {@code restartsOffset == 0}.
 */
final class Block {
  final byte[] data;
  /** End of the entries = start of the restart array. */
  final int restartsOffset;
  final int numRestarts;
  /** For error messages: the file and the block's offset in it. */
  final Path file;
  final long fileOffset;

  private Block(byte[] data, int restartsOffset, int numRestarts, Path file, long fileOffset) {
    this.data = data;
    this.restartsOffset = restartsOffset;
    this.numRestarts = numRestarts;
    this.file = file;
    this.fileOffset = fileOffset;
  }

  /**
   * Verifies the trailer of {@code raw} (contents of {@code size} bytes followed by the trailer)
   * and parses the restart array. Takes ownership of {@code raw}.
   */
  static Block parse(Path file, long fileOffset, byte[] raw, int size) {
    verifyTrailer(file, fileOffset, raw, size);
    if (size < 4) {
      throw new CorruptionException(file, fileOffset, "block of " + size + " bytes too small");
    }
    int n = Bytes.getInt(raw, size - 4);
    long restartsOffset = size - 4 - 4L * n;
    if (n < 0 || restartsOffset < 0 || (n == 0 && restartsOffset != 0)) {
      throw new CorruptionException(
          file, fileOffset, "bad restart count " + n + " for block of " + size + " bytes");
    }
    Block b = new Block(raw, (int) restartsOffset, n, file, fileOffset);
    b.checkRestarts();
    return b;
  }

  /**
   * Checks the 5-byte trailer at {@code raw[size, size + 5)}: masked CRC32C over contents and type
   * first (so any flipped bit reads as a checksum mismatch), then the type.
   */
  static void verifyTrailer(Path file, long fileOffset, byte[] raw, int size) {
    int stored = Bytes.getInt(raw, size + 1);
    int actual = Crc32c.masked(raw, 0, size + 1);
    if (stored != actual) {
      throw new CorruptionException(
          file,
          fileOffset,
          String.format(
              "block checksum mismatch (block of %d bytes; stored 0x%08x, computed 0x%08x)",
              size, stored, actual));
    }
    if (raw[size] != BLOCK_TYPE_UNCOMPRESSED) {
      throw new CorruptionException(file, fileOffset, "unknown block type " + raw[size]);
    }
  }

  int restartPoint(int i) {
    return Bytes.getInt(data, restartsOffset + 4 * i);
  }

  /** Bytes charged to the block cache. */
  int weight() {
    return data.length;
  }

  /** Bytes in the file: contents plus trailer. */
  int sizeOnDisk() {
    return restartsOffset + 4 * numRestarts + 4 + BLOCK_TRAILER_SIZE;
  }

  CorruptionException corrupt(int pos, String what) {
    return new CorruptionException(
        file, fileOffset, what + " at offset " + pos + " within block at " + fileOffset);
  }

  private void checkRestarts() {
    int prev = -1;
    for (int i = 0; i < numRestarts; i++) {
      int r = restartPoint(i);
      if ((i == 0 && r != 0) || r <= prev || r >= restartsOffset) {
        throw corrupt(restartsOffset + 4 * i, "bad restart point " + r);
      }
      prev = r;
    }
  }
}
