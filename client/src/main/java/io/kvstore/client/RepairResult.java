package io.kvstore.client;

/**
 * The totals of one node's repair ({@link KvClient#repair}), as the node reported them in its
 * last message, and how many exchanges failed. Immutable.
 *
 * @param exchanges exchanges finished (failed ones included)
 * @param failed exchanges that did not complete (counted from the progress messages)
 * @param segmentsDiffering hash-tree segments that differed, over all exchanges
 * @param keysRepaired keys whose sibling sets differed and were exchanged
 * @param bytesSent bytes sent to co-replicas
 * @param bytesReceived bytes received from them
 * @param millis the exchanges' durations added up (not wall time: exchanges queue behind others)
 */
public record RepairResult(int exchanges, int failed, long segmentsDiffering, long keysRepaired,
    long bytesSent, long bytesReceived, long millis) {

  /** True when every exchange completed. */
  public boolean complete() {
    return failed == 0;
  }

  static RepairResult of(io.kvstore.proto.RepairProgress last, int failed) {
    return new RepairResult(last.getDone(), failed, last.getSegmentsDiffering(),
        last.getKeysRepaired(), last.getBytesSent(), last.getBytesReceived(), last.getMillis());
  }
}
