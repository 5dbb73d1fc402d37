package io.kvstore.node.versioning;

/**
 * Bounds-checked big-endian reader over a byte array, for the decoders of FORMAT.md. Every read
 * past {@code end} fails with a {@link MalformedVersionException} naming the offset, so decoders
 * never see an {@code ArrayIndexOutOfBoundsException} and never allocate more than the input holds.
 *
 * <p>Thread safety: none; one decoder owns it. Invariant: {@code 0 <= pos <= end <= data.length}.
 */
final class ByteReader {
  private final byte[] data;
  private final int end;
  private final String what;
  private int pos;

  /** Reads {@code data[start..end)}; {@code what} names the structure in error messages. */
  ByteReader(byte[] data, int start, int end, String what) {
    this.data = data;
    this.pos = start;
    this.end = end;
    this.what = what;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  int u8() {
    need(1);
    return data[pos++] & 0xff;
  }

  int i32() {
    need(4);
    int v =
        ((data[pos] & 0xff) << 24)
            | ((data[pos + 1] & 0xff) << 16)
            | ((data[pos + 2] & 0xff) << 8)
            | (data[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  long i64() {
    long hi = i32();
    long lo = i32() & 0xffffffffL;
    return (hi << 32) | lo;
  }

  byte[] bytes(int n) {
    if (n < 0) {
      throw malformed(pos, "negative length " + n);
    }
    need(n);
    byte[] out = new byte[n];
    System.arraycopy(data, pos, out, 0, n);
    pos += n;
    return out;
  }

  /**
   * Reads a count of entries that each take at least {@code minEntryBytes}: rejects a negative
   * count, one above {@code max}, and one the remaining input cannot possibly hold (so a corrupt
   * count never triggers a huge allocation).
   */
  int count(String name, int max, int minEntryBytes) {
    int at = pos;
    int n = i32();
    if (n < 0) {
      throw malformed(at, "negative " + name + " count " + n);
    }
    if (n > max) {
      throw malformed(at, name + " count " + n + " exceeds limit " + max);
    }
    if ((long) n * minEntryBytes > remaining()) {
      throw malformed(
          at, name + " count " + n + " cannot fit in the remaining " + remaining() + " bytes");
    }
    return n;
  }

  /** Fails unless every byte up to {@code end} was consumed. */
  void expectEnd() {
    if (pos != end) {
      throw malformed(pos, (end - pos) + " trailing bytes");
    }
  }

  MalformedVersionException malformed(int offset, String reason) {
    return new MalformedVersionException(what, offset, reason);
  }

  private void need(int n) {
    if (end - pos < n) {
      throw malformed(pos, "truncated: need " + n + " bytes, " + (end - pos) + " left");
    }
  }
}
