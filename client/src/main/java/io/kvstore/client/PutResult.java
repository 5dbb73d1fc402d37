package io.kvstore.client;

/**
 * The answer to a write.
 *
 * @param context the causal context of the version just written: writing the key again with it
 *     supersedes this write without another read
 * @param acks how many replicas durably acknowledged the write
 * @param sloppyAcks how many of those acks came from fallback nodes holding the write as a hint
 *     for a primary replica that was down (sloppy quorum); 0 when every ack was a primary's
 */
public record PutResult(Context context, int acks, int sloppyAcks) {
  /** True when the write counted a fallback's ack: a read of R primaries may miss it for now. */
  public boolean sloppy() {
    return sloppyAcks > 0;
  }
}
