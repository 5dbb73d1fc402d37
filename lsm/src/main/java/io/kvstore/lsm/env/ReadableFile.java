package io.kvstore.lsm.env;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/** A file opened for positional reads. Thread safe: reads do not share a position. */
public interface ReadableFile extends Closeable {
  /**
   * Reads exactly {@code length} bytes at {@code position} into {@code dst[offset..]}; throws
   * {@link java.io.EOFException} if the file ends first.
   */
  void readFully(long position, byte[] dst, int offset, int length) throws IOException;

  long size() throws IOException;

  Path path();
}
