package io.kvstore.node.versioning;

/**
 * An encoded {@link SiblingSet} or {@link CausalContext} failed validation: wrong version byte,
 * bad checksum, truncation, trailing bytes, a length or count out of range, a non-positive counter,
 * actors out of order or repeated, a sibling dot the clock does not cover, or a size above the
 * configured limit. The message names the problem and the byte offset where it was found.
 *
 * <p>Extends {@link IllegalArgumentException} because the bad input is always an argument (a
 * client's context, a replica's message, a stored value); the API layer maps it to
 * INVALID_ARGUMENT for client input and to a corruption report for stored values.
 *
 * <p>Thread safety: immutable.
 */
public final class MalformedVersionException extends IllegalArgumentException {
  private final String what;
  private final int offset;

  /**
   * @param what what was being decoded, e.g. "sibling set" or "causal context"
   * @param offset byte offset of the problem in the encoded input (-1 if not positional)
   * @param reason the problem, e.g. "counter 0 <= 0"
   */
  public MalformedVersionException(String what, int offset, String reason) {
    super(
        "malformed "
            + what
            + (offset >= 0 ? " at byte " + offset : "")
            + ": "
            + reason);
    this.what = what;
    this.offset = offset;
  }

  /** What was being decoded ("sibling set", "causal context"). */
  public String what() {
    return what;
  }

  /** Byte offset of the problem in the input, or -1 when it is not positional. */
  public int offset() {
    return offset;
  }
}
