package io.kvstore.client;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.RepairRequest;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Admin.Repair call at one node: a server stream of progress messages, each handed to the
 * caller's listener on the calling thread as it arrives, then the totals. Not routed, retried or
 * hedged (a repair is per node), and not recorded in the node's health: its length says nothing
 * about the node's latency.
 *
 * <p>Thread safe where it must be: gRPC calls the observer methods on a transport thread, which
 * only queue what arrived; one calling thread runs {@link #run}. A listener that throws, or an
 * interrupt, cancels the call.
 */
final class RepairCall implements ClientResponseObserver<RepairRequest,
    io.kvstore.proto.RepairProgress> {
  /** The end of the stream: OK or the failure. */
  private record End(Status status) {}

  private final Endpoint endpoint;
  private final RepairOptions options;
  private final Consumer<RepairProgress> listener;
  private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<RepairRequest> call;

  RepairCall(Endpoint endpoint, RepairOptions options, Consumer<RepairProgress> listener) {
    this.endpoint = endpoint;
    this.options = options;
    this.listener = listener;
  }

  /** Runs the repair to its end; throws {@link KvException} if the call fails. */
  RepairResult run() {
    AdminGrpc.newStub(endpoint.channel())
        .withDeadlineAfter(options.deadline().toNanos(), TimeUnit.NANOSECONDS)
        .repair(options.toProto(), this);
    boolean ended = false;
    try {
      io.kvstore.proto.RepairProgress last = null;
      int failed = 0;
      while (true) {
        Object next = arrived.take();
        if (next instanceof End end) {
          ended = true;
          return result(end.status(), last, failed);
        }
        io.kvstore.proto.RepairProgress p = (io.kvstore.proto.RepairProgress) next;
        if (p.getFinished()) {
          last = p;
          continue;
        }
        RepairProgress progress = RepairProgress.fromProto(p);
        failed += progress.failed() ? 1 : 0;
        listener.accept(progress);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KvException.answered(Status.CANCELLED.withDescription("interrupted").withCause(e)
          .asRuntimeException(), endpoint.address());
    } finally {
      if (!ended && call != null) {
        call.cancel("the caller gave up the repair", null);
      }
    }
  }

  private RepairResult result(Status status, io.kvstore.proto.RepairProgress last, int failed) {
    if (!status.isOk()) {
      throw Unreachable.test(status)
          ? KvException.unreachable(List.of(endpoint.address()), status.asRuntimeException())
          : KvException.answered(status.asRuntimeException(), endpoint.address());
    }
    if (last == null) {
      throw KvException.answered(Status.INTERNAL
          .withDescription("the repair stream ended without its totals").asRuntimeException(),
          endpoint.address());
    }
    return RepairResult.of(last, failed);
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<RepairRequest> requestStream) {
    call = requestStream;
  }

  @Override
  public void onNext(io.kvstore.proto.RepairProgress p) {
    arrived.add(p);
  }

  @Override
  public void onError(Throwable t) {
    arrived.add(new End(Status.fromThrowable(t)));
  }

  @Override
  public void onCompleted() {
    arrived.add(new End(Status.OK));
  }
}
