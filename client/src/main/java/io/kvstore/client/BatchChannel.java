package io.kvstore.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.stream.StreamMux;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The requests of one {@link KvClient} to one node over the node's {@code KvStore.Batch} stream
 * (kvstore.proto), multiplexed by {@link StreamMux}: per request a deadline, cancellation and one
 * outcome, as with a unary call. A request's error arrives as a status without a cause and with
 * the unary call's {@code kv-not-applied} trailer, like a unary call's answer, so {@link Outcome}
 * and {@link Unreachable} judge both alike; a broken stream fails its requests with the
 * transport's status and cause. Thread safe.
 */
final class BatchChannel {
  /** The most requests per message: well under gRPC's 4 MiB inbound cap for small values. */
  private static final int MAX_BATCH = 128;

  private final StreamMux<BatchedRequest, BatchedResponse, BatchRequest, BatchResponse> mux;

  /**
   * @param timer enforces the requests' deadlines
   * @param sender writes the messages while other requests are in flight
   */
  BatchChannel(KvStoreStub stub, ScheduledExecutorService timer, Executor sender) {
    this.mux = new StreamMux<>(new Wire(stub), timer, sender, MAX_BATCH);
  }

  /**
   * Sends one request. {@code observer} gets either one value and completion or one error, on a
   * transport or timer thread. Returns what cancels it (the observer then gets CANCELLED).
   *
   * @param request the request with everything but its id and timeout set
   * @param answer the value out of the node's answer (an answer of the wrong kind is INTERNAL)
   */
  <T> Runnable send(BatchedRequest request, long timeoutNanos,
      Function<BatchedResponse, T> answer, StreamObserver<T> observer) {
    return mux.send(request, timeoutNanos, new StreamMux.Callback<>() {
      @Override
      public void answered(BatchedResponse r) {
        if (r.hasError()) {
          observer.onError(toStatus(r.getError()));
          return;
        }
        T value;
        try {
          value = answer.apply(r);
        } catch (RuntimeException e) {
          observer.onError(Status.INTERNAL.withDescription("bad answer from the node: "
              + e.getMessage()).asRuntimeException());
          return;
        }
        observer.onNext(value);
        observer.onCompleted();
      }

      @Override
      public void failed(Status status) {
        observer.onError(status.asRuntimeException());
      }
    });
  }

  /** Half-closes the stream: the node answers what it has and ends it. */
  void close() {
    mux.close();
  }

  /** A request's error as the status a unary call would have failed with. */
  static StatusRuntimeException toStatus(RequestError e) {
    Metadata trailers = new Metadata();
    if (e.getNotApplied()) {
      trailers.put(Attempt.NOT_APPLIED, "1");
    }
    return Status.fromCodeValue(e.getCode()).withDescription(e.getMessage())
        .asRuntimeException(trailers);
  }

  private record Wire(KvStoreStub stub)
      implements StreamMux.Wire<BatchedRequest, BatchedResponse, BatchRequest, BatchResponse> {
    @Override
    public void open(ClientResponseObserver<BatchRequest, BatchResponse> in) {
      stub.batch(in);
    }

    @Override
    public BatchedRequest stamp(BatchedRequest request, long id, long timeoutMicros) {
      return request.toBuilder().setId(id).setTimeoutMicros(timeoutMicros).build();
    }

    @Override
    public BatchRequest message(List<BatchedRequest> requests, List<Long> cancels) {
      return BatchRequest.newBuilder().addAllRequests(requests).addAllCancel(cancels).build();
    }

    @Override
    public List<BatchedResponse> answers(BatchResponse message) {
      return message.getResponsesList();
    }

    @Override
    public long id(BatchedResponse answer) {
      return answer.getId();
    }
  }
}
