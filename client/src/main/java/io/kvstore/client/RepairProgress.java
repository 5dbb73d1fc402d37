package io.kvstore.client;

/**
 * One finished exchange of a repair ({@link KvClient#repair}): one partition compared and
 * synchronized with one co-replica, or the reason it was not. Immutable.
 *
 * @param partition the partition
 * @param peerNodeId the co-replica it was exchanged with; empty when the exchange failed before
 *     one was chosen (e.g. the node does not replicate the partition)
 * @param segmentsDiffering hash-tree segments that differed in both comparisons (0: identical)
 * @param keysRepaired keys whose sibling sets differed and were exchanged
 * @param bytesSent bytes of sibling sets and key listings sent to the co-replica
 * @param bytesReceived and received from it
 * @param millis how long the exchange took
 * @param error why the exchange did not complete (co-replica down, tree not built yet, ...);
 *     empty when it did
 * @param done exchanges finished so far in this repair, this one included
 * @param total exchanges in the whole repair
 */
public record RepairProgress(int partition, String peerNodeId, int segmentsDiffering,
    long keysRepaired, long bytesSent, long bytesReceived, long millis, String error, int done,
    int total) {

  /** True when the exchange did not complete. */
  public boolean failed() {
    return !error.isEmpty();
  }

  /** True when it completed and found the two replicas' trees identical. */
  public boolean identical() {
    return !failed() && segmentsDiffering == 0 && keysRepaired == 0;
  }

  static RepairProgress fromProto(io.kvstore.proto.RepairProgress p) {
    return new RepairProgress(p.getPartition(), p.getPeerNodeId(), p.getSegmentsDiffering(),
        p.getKeysRepaired(), p.getBytesSent(), p.getBytesReceived(), p.getMillis(), p.getError(),
        p.getDone(), p.getTotal());
  }
}
