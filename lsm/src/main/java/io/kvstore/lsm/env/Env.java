package io.kvstore.lsm.env;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the engine does to the file system goes through an Env (as in LevelDB), so tests can
 * substitute a fault-injecting implementation that drops unsynced bytes on a simulated crash or
 * fails operations on demand. The Env is also the engine's clock ({@link #nanoTime}, as LevelDB's
 * {@code NowMicros}), so a test can make an fsync or a stall take as long as it likes. Implementations
 * must be thread safe.
 */
public interface Env {
  /** Creates (truncating if present) a file for appending. */
  WritableFile newWritableFile(Path path) throws IOException;

  /** Opens an existing file for positional reads. */
  ReadableFile newReadableFile(Path path) throws IOException;

  boolean exists(Path path);

  /** Regular file names (not paths) in a directory, in no particular order. */
  List<String> list(Path dir) throws IOException;

  void createDirectories(Path dir) throws IOException;

  /** Deletes a file if it exists. */
  void delete(Path path) throws IOException;

  /** Atomically replaces {@code target} with {@code source}. */
  void renameAtomic(Path source, Path target) throws IOException;

  /** Truncates a file to {@code size} bytes and syncs it. */
  void truncate(Path path, long size) throws IOException;

  /** Makes directory entries (creates, renames, deletes) in {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException;

  long size(Path path) throws IOException;

  /**
   * Monotonic nanoseconds (arbitrary origin), for measuring intervals (fsync latency, write stall
   * time); never compared across processes. Defaults to {@link System#nanoTime()}.
   */
  default long nanoTime() {
    return System.nanoTime();
  }
}
