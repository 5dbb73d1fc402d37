package io.kvstore.lsm.env;

import java.io.Closeable;
import java.io.IOException;

/**
 * An append-only file. {@link #append} hands bytes to the OS (they survive a process crash but not
 * a machine crash); {@link #sync} makes everything appended so far durable. Not thread safe: the
 * caller serializes appends; {@link #sync} may run concurrently with appends.
 */
public interface WritableFile extends Closeable {
  void append(byte[] data, int offset, int length) throws IOException;

  default void append(byte[] data) throws IOException {
    append(data, 0, data.length);
  }

  /** fsync: data appended before this call is durable when it returns. */
  void sync() throws IOException;

  /** Bytes appended so far. */
  long size();
}
