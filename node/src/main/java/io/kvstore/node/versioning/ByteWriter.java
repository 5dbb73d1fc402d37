package io.kvstore.node.versioning;

import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Growable big-endian output buffer for the encodings in FORMAT.md.
 *
 * <p>Thread safety: none; one encoder owns it. Invariant: {@code size <= buf.length}.
 */
final class ByteWriter {
  private byte[] buf;
  private int size;

  ByteWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  void u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  void i32(int v) {
    ensure(4);
    buf[size++] = (byte) (v >>> 24);
    buf[size++] = (byte) (v >>> 16);
    buf[size++] = (byte) (v >>> 8);
    buf[size++] = (byte) v;
  }

  void i64(long v) {
    i32((int) (v >>> 32));
    i32((int) v);
  }

  void bytes(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, size, b.length);
    size += b.length;
  }

  /** Appends the CRC-32C of everything written so far (unmasked, big-endian). */
  void crc32cFooter() {
    i32(crc32c(buf, 0, size));
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  static int crc32c(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  private void ensure(int n) {
    if (buf.length - size < n) {
      long want = Math.max((long) buf.length * 2, (long) size + n);
      if (want > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("encoding larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) want);
    }
  }
}
