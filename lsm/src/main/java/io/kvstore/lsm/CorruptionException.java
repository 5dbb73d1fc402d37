package io.kvstore.lsm;

import java.nio.file.Path;

/**
 * Data on disk failed a checksum, a magic/version check or a structural check. Names the file and
 * the byte offset at which the bad data starts, so an operator can look at it.
 */
public final class CorruptionException extends LsmException {
  private final Path file;
  private final long offset;

  public CorruptionException(Path file, long offset, String reason) {
    this(file, offset, reason, null);
  }

  public CorruptionException(Path file, long offset, String reason, Throwable cause) {
    super("corruption in " + file + " at offset " + offset + ": " + reason, cause);
    this.file = file;
    this.offset = offset;
  }

  public Path file() {
    return file;
  }

  public long offset() {
    return offset;
  }
}
