package io.kvstore.client;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.RepairProgress;
import io.kvstore.proto.RepairRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A fake of the Admin service's Repair for client tests, served by {@link FakeKvStore} on the same
 * port. Repair streams the exchanges its script gives for the request, numbered (done, total) as
 * the node does, then a totals message (finished, counters summed, error "k of n exchanges did
 * not complete" when some failed) and completes. Tests can make it fail with a status before any
 * message, hold the stream after the first message until released, or never end it (for
 * deadlines). Records the requests. Thread safe (volatile settings, synchronized list).
 */
public final class FakeAdmin extends AdminGrpc.AdminImplBase {
  public final List<RepairRequest> repairs = Collections.synchronizedList(new ArrayList<>());
  private volatile Function<RepairRequest, List<RepairProgress>> script = req -> List.of();
  private volatile Status failure;
  private volatile CountDownLatch holdAfterFirst;
  private volatile boolean heldTooLong;
  private volatile boolean neverEnd;

  /** One exchange that completed. */
  public static RepairProgress exchange(int partition, String peer, int segments, long keys,
      long sent, long received, long millis) {
    return RepairProgress.newBuilder().setPartition(partition).setPeerNodeId(peer)
        .setSegmentsDiffering(segments).setKeysRepaired(keys).setBytesSent(sent)
        .setBytesReceived(received).setMillis(millis).build();
  }

  /** One exchange that failed. */
  public static RepairProgress failed(int partition, String peer, String error) {
    return RepairProgress.newBuilder().setPartition(partition).setPeerNodeId(peer)
        .setError(error).setMillis(1).build();
  }

  /** The exchanges (done and total are filled in) of each request. */
  public void script(Function<RepairRequest, List<RepairProgress>> script) {
    this.script = script;
  }

  /** Fails every repair with {@code s} before any message; null heals. */
  public void failWith(Status s) {
    failure = s;
  }

  /** Holds each stream after its first message until {@code release} (at most 5 s). */
  public void holdAfterFirst(CountDownLatch release) {
    holdAfterFirst = release;
  }

  /** True if a held stream was released by the 5 s limit rather than by the test. */
  public boolean heldTooLong() {
    return heldTooLong;
  }

  /** Streams the exchanges but never the totals, nor the end. */
  public void neverEnd() {
    neverEnd = true;
  }

  @Override
  public void repair(RepairRequest req, StreamObserver<RepairProgress> out) {
    repairs.add(req);
    Status s = failure;
    if (s != null) {
      out.onError(s.asRuntimeException());
      return;
    }
    List<RepairProgress> exchanges = script.apply(req);
    RepairProgress.Builder totals = RepairProgress.newBuilder().setFinished(true)
        .setTotal(exchanges.size()).setDone(exchanges.size());
    int failed = 0;
    for (int i = 0; i < exchanges.size(); i++) {
      RepairProgress e = exchanges.get(i);
      out.onNext(e.toBuilder().setDone(i + 1).setTotal(exchanges.size()).build());
      failed += e.getError().isEmpty() ? 0 : 1;
      totals.setSegmentsDiffering(totals.getSegmentsDiffering() + e.getSegmentsDiffering())
          .setKeysRepaired(totals.getKeysRepaired() + e.getKeysRepaired())
          .setBytesSent(totals.getBytesSent() + e.getBytesSent())
          .setBytesReceived(totals.getBytesReceived() + e.getBytesReceived())
          .setMillis(totals.getMillis() + e.getMillis());
      if (i == 0) {
        hold();
      }
    }
    if (neverEnd) {
      return;
    }
    if (failed > 0) {
      totals.setError(failed + " of " + exchanges.size() + " exchanges did not complete");
    }
    out.onNext(totals.build());
    out.onCompleted();
  }

  private void hold() {
    CountDownLatch latch = holdAfterFirst;
    if (latch == null) {
      return;
    }
    try {
      heldTooLong |= !latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
