package io.kvstore.client;

/**
 * The answer to a delete.
 *
 * @param acks how many replicas durably acknowledged the tombstone
 * @param sloppyAcks how many of those acks came from fallback nodes (see {@link PutResult})
 */
public record DeleteResult(int acks, int sloppyAcks) {
  /** True when the delete counted a fallback's ack. */
  public boolean sloppy() {
    return sloppyAcks > 0;
  }
}
