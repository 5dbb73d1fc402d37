package io.kvstore.lsm.wal;

import io.kvstore.lsm.env.ReadableFile;
import java.io.IOException;

/**
 * Read-ahead over a {@link ReadableFile} of known, fixed size, so that reading many small records
 * does not cost two system calls each. Not thread safe (owned by one {@link LogReader}).
 *
 * <p>Invariant: {@code buf[0 .. bufLen)} holds the file bytes at {@code [bufStart, bufStart +
 * bufLen)}.
 */
final class PositionalReader {
  private static final int BUFFER_SIZE = 64 << 10;

  private final ReadableFile file;
  private final long fileSize;
  private final byte[] buf = new byte[BUFFER_SIZE];
  private long bufStart;
  private int bufLen;

  PositionalReader(ReadableFile file, long fileSize) {
    this.file = file;
    this.fileSize = fileSize;
  }

  /** Reads {@code len} bytes at {@code pos}; the caller guarantees {@code pos + len <= size}. */
  void read(long pos, byte[] dst, int off, int len) throws IOException {
    if (len >= BUFFER_SIZE) {
      file.readFully(pos, dst, off, len);
      return;
    }
    if (pos < bufStart || pos + len > bufStart + bufLen) {
      bufStart = pos;
      bufLen = (int) Math.min(BUFFER_SIZE, fileSize - pos);
      file.readFully(pos, buf, 0, bufLen);
    }
    System.arraycopy(buf, (int) (pos - bufStart), dst, off, len);
  }

  /** True if every byte in {@code [from, to)} is zero. */
  boolean allZero(long from, long to) throws IOException {
    byte[] chunk = new byte[(int) Math.min(BUFFER_SIZE, Math.max(0, to - from))];
    for (long pos = from; pos < to; pos += chunk.length) {
      int n = (int) Math.min(chunk.length, to - pos);
      read(pos, chunk, 0, n);
      for (int i = 0; i < n; i++) {
        if (chunk[i] != 0) {
          return false;
        }
      }
    }
    return true;
  }
}
