package io.kvstore.node.rpc;

import io.grpc.stub.StreamObserver;
import io.kvstore.node.antientropy.AntiEntropy;
import io.kvstore.node.antientropy.Exchange;
import io.kvstore.proto.RepairProgress;
import io.kvstore.ring.NodeId;

/**
 * Admin.Repair's response stream: one message per exchange as it ends, then the totals. Thread
 * safe (synchronized: progress comes from the exchange thread, the end from its future).
 */
final class RepairStream implements AntiEntropy.Progress {
  private final StreamObserver<RepairProgress> out;
  private final int total;
  private int done;
  private int segments;
  private long keys;
  private long sent;
  private long received;
  private long millis;
  private int failed;

  RepairStream(StreamObserver<RepairProgress> out, int total) {
    this.out = out;
    this.total = total;
  }

  @Override
  public synchronized void exchanged(int partition, NodeId peer, Exchange.Result r, String error,
      long ms) {
    done++;
    RepairProgress.Builder b = RepairProgress.newBuilder().setPartition(partition)
        .setPeerNodeId(peer == null ? "" : peer.id()).setMillis(ms).setDone(done).setTotal(total);
    if (r != null) {
      b.setSegmentsDiffering(r.segments()).setKeysRepaired(r.keys()).setBytesSent(r.bytesSent())
          .setBytesReceived(r.bytesReceived());
      segments += r.segments();
      keys += r.keys();
      sent += r.bytesSent();
      received += r.bytesReceived();
    } else {
      failed++;
      b.setError(error == null ? "failed" : error);
    }
    millis += ms;
    out.onNext(b.build());
  }

  synchronized void finish(Throwable e) {
    if (e != null) {
      out.onError(Errors.toStatus(e));
      return;
    }
    out.onNext(RepairProgress.newBuilder().setFinished(true).setDone(done).setTotal(total)
        .setSegmentsDiffering(segments).setKeysRepaired(keys).setBytesSent(sent)
        .setBytesReceived(received).setMillis(millis)
        .setError(failed == 0 ? "" : failed + " of " + done + " exchanges did not complete")
        .build());
    out.onCompleted();
  }
}
