package io.kvstore.lsm.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Damages files on the real file system the way bad media or a torn write would, bypassing any
 * {@link io.kvstore.lsm.env.Env}. Static helpers only, no state; thread safe as far as the file
 * system is (do not corrupt a file that is being written).
 */
public final class FileCorruptor {
  private FileCorruptor() {}

  /** Inverts bit {@code bit} (0 = least significant) of the byte at {@code offset}. */
  public static void flipBit(Path file, long offset, int bit) throws IOException {
    if (bit < 0 || bit > 7) {
      throw new IllegalArgumentException("bit must be 0..7, was " + bit);
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      checkRange(file, ch, offset, 1);
      ByteBuffer one = ByteBuffer.allocate(1);
      readFully(ch, one, offset);
      one.put(0, (byte) (one.get(0) ^ (1 << bit)));
      one.rewind();
      writeFully(ch, one, offset);
    }
  }

  /** Cuts the file to {@code size} bytes, which must not exceed its current size. */
  public static void truncate(Path file, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      if (size < 0 || size > ch.size()) {
        throw new IllegalArgumentException(
            "cannot truncate " + file + " of " + ch.size() + " bytes to " + size);
      }
      ch.truncate(size);
    }
  }

  /** Replaces bytes in place; the range must lie within the file (this never grows it). */
  public static void overwrite(Path file, long offset, byte[] bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      checkRange(file, ch, offset, bytes.length);
      writeFully(ch, ByteBuffer.wrap(bytes), offset);
    }
  }

  private static void checkRange(Path file, FileChannel ch, long offset, int length)
      throws IOException {
    if (offset < 0 || offset + length > ch.size()) {
      throw new IllegalArgumentException(
          "range [" + offset + ", " + (offset + length) + ") outside " + file + " of " + ch.size()
              + " bytes");
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      if (ch.read(buf, pos + buf.position()) < 0) {
        throw new IOException("unexpected end of file at " + (pos + buf.position()));
      }
    }
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf, pos + buf.position());
    }
  }
}
