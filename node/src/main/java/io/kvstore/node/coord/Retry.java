package io.kvstore.node.coord;

/**
 * Why the coordinator sent a replica request again, to another node or as a second round trip:
 * the {@code op} and {@code reason} labels of {@code kv_coordinator_retries_total}. A primary the
 * failure detector already sees down is never asked, so the fallback that takes its place from
 * the start (a hinted write, {@code kv_hinted_writes_total}) is no retry.
 */
public enum Retry {
  /** A replica failed a write (an error); a fallback was sent it as a hint for that replica. */
  WRITE_FAILED("write", "failed"),
  /** A replica did not acknowledge a write within the per-replica timeout: as above. */
  WRITE_SLOW("write", "slow"),
  /** A replica failed a read; a primary not yet asked, else a fallback, was asked instead. */
  READ_FAILED("read", "failed"),
  /** A replica did not answer a read within the per-replica timeout: as above. */
  READ_SLOW("read", "slow"),
  /**
   * A replica's digest matched no state known so far (it differs from the others), so it was
   * asked for its full state: the digest read's second round trip.
   */
  READ_DIGEST_MISMATCH("read", "digest_mismatch"),
  /**
   * A write this node forwarded certainly did not reach the replica it was sent to (nothing was
   * applied), so it was forwarded to the next replica.
   */
  FORWARD_NOT_REACHED("forward", "not_reached");

  private final String op;
  private final String reason;

  Retry(String op, String reason) {
    this.op = op;
    this.reason = reason;
  }

  public String op() {
    return op;
  }

  public String reason() {
    return reason;
  }
}
