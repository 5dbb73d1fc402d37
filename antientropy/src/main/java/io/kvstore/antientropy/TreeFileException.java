package io.kvstore.antientropy;

/**
 * A tree file (FORMAT.md) could not be decoded: names the byte offset at which the problem was
 * found and a {@link Reason}. Checked, because the caller must take the corruption path: discard
 * the file and rebuild every tree from storage. The file's name is the caller's to add; the codec
 * sees only bytes.
 */
public final class TreeFileException extends Exception {
  /** Why decoding stopped. */
  public enum Reason {
    /** Fewer bytes than the header or the declared length require. */
    TRUNCATED,
    /** More bytes than the declared length. */
    TRAILING_BYTES,
    /** The first four bytes are not {@code KVAE}. */
    BAD_MAGIC,
    /** The CRC-32C does not match the bytes it covers. */
    CHECKSUM_MISMATCH,
    /** An intact file of a newer format version than this reader knows. */
    TOO_NEW,
    /** An intact file of a format version older than this reader still reads. */
    TOO_OLD,
    /** Checksummed but invalid fields: a buggy writer, not a disk error. */
    MALFORMED
  }

  private final Reason reason;
  private final long offset;

  public TreeFileException(Reason reason, long offset, String detail) {
    super("tree file " + describe(reason) + " at offset " + offset + ": " + detail);
    this.reason = reason;
    this.offset = offset;
  }

  private static String describe(Reason reason) {
    return switch (reason) {
      case TOO_NEW -> "too new";
      case TOO_OLD -> "too old";
      default -> "corrupt";
    };
  }

  public Reason reason() {
    return reason;
  }

  public long offset() {
    return offset;
  }
}
