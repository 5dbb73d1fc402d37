package io.kvstore.clustertests.history;

import java.io.IOException;

/**
 * A history file that cannot be read back: not a history, a newer format version, a bad line,
 * or a missing or mismatching footer (a truncated or edited file). Names the file and the line.
 *
 * <p>Thread safety: immutable after construction.
 */
public final class HistoryFormatException extends IOException {
  private final String file;
  private final int line;

  public HistoryFormatException(String file, int line, String reason) {
    super(file + ":" + line + ": " + reason);
    this.file = file;
    this.line = line;
  }

  public HistoryFormatException(String file, int line, String reason, Throwable cause) {
    super(file + ":" + line + ": " + reason, cause);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based line number the problem was found at. */
  public int line() {
    return line;
  }
}
