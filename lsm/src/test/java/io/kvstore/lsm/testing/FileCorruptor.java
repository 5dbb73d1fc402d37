package io.kvstore.lsm.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test helper that damages files on purpose: bit flips and truncation. Static, stateless. */
public final class FileCorruptor {
  private FileCorruptor() {}

  /** Flips bit {@code bit} (0 = least significant) of the byte at {@code offset}. */
  public static void flipBit(Path path, long offset, int bit) throws IOException {
    try (FileChannel ch =
        FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      if (ch.read(b, offset) != 1) {
        throw new IOException(path + ": no byte at offset " + offset);
      }
      b.put(0, (byte) (b.get(0) ^ (1 << bit)));
      b.rewind();
      ch.write(b, offset);
    }
  }

  /** Cuts the file to {@code size} bytes. */
  public static void truncate(Path path, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }
}
