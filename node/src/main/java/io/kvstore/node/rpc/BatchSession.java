package io.kvstore.node.rpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvstore.node.NodeError;
import io.kvstore.node.time.Clock;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.stream.Coalescer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's side of one {@code KvStore.Batch} stream (kvstore.proto): every request is admitted,
 * given its deadline and coordinated as its unary method would be; answers go back by id as they
 * complete, those ready together in one message ({@link Coalescer}), and only while the client's
 * side of the connection takes them (flow control). A request the client cancelled gets no answer.
 * The stream completes once the client half-closed it and every request was answered.
 *
 * <p>Thread safe: gRPC delivers the inbound messages one at a time; answers complete on any
 * thread.
 */
final class BatchSession implements StreamObserver<BatchRequest> {
  /** The most answers per message. */
  private static final int MAX_BATCH = 128;

  private final KvStoreService kv;
  private final Calls calls;
  private final RequestMetrics metrics;
  private final Clock clock;
  private final ServerCallStreamObserver<BatchResponse> out;
  /** Requests without an answer yet, by id. */
  private final Map<Long, Boolean> inflight = new ConcurrentHashMap<>();
  private final Coalescer<BatchedResponse> answers;
  private volatile boolean halfClosed;
  /** Set when the client broke the protocol: the stream ends with it. */
  private volatile Status failure;
  private final AtomicBoolean ended = new AtomicBoolean();

  BatchSession(KvStoreService kv, Calls calls, RequestMetrics metrics, Clock clock,
      StreamObserver<BatchResponse> out) {
    this.kv = kv;
    this.calls = calls;
    this.metrics = metrics;
    this.clock = clock;
    this.out = (ServerCallStreamObserver<BatchResponse>) out;
    this.answers = new Coalescer<>(MAX_BATCH, this.out::isReady, this::send, this::completeIfDone);
    this.out.setOnReadyHandler(answers::kick);
    this.out.setOnCancelHandler(() -> {
      ended.set(true);
      inflight.clear();
      answers.clear();
    });
  }

  @Override
  public void onNext(BatchRequest message) {
    metrics.batchMessage(true, message.getRequestsCount());
    // Answers ready before every request is started (local reads, writes without a per-write
    // fsync) go back together, in one message.
    answers.hold(() -> {
      for (long id : message.getCancelList()) {
        inflight.remove(id);
      }
      for (BatchedRequest r : message.getRequestsList()) {
        start(r);
      }
    });
  }

  private void start(BatchedRequest r) {
    long id = r.getId();
    if (inflight.putIfAbsent(id, Boolean.TRUE) != null) {
      fail(Status.INVALID_ARGUMENT.withDescription("request id " + id
          + " is already in flight on this stream"));
      return;
    }
    long start = clock.nanoTime();
    String method = KvStoreService.methodOf(r);
    CompletableFuture<BatchedResponse.Builder> f = calls.admitted(() -> {
      var deadline = calls.deadlineAfterMicros(r.getTimeoutMicros());
      return switch (r.getRequestCase()) {
        case GET -> kv.get(r.getGet(), deadline).thenApply(a -> BatchedResponse.newBuilder().setGet(a));
        case PUT -> kv.put(r.getPut(), deadline).thenApply(a -> BatchedResponse.newBuilder().setPut(a));
        case DELETE -> kv.delete(r.getDelete(), deadline)
            .thenApply(a -> BatchedResponse.newBuilder().setDelete(a));
        case REQUEST_NOT_SET -> CompletableFuture.failedFuture(NodeError.invalid(
            "batched request " + id + " holds no get, put or delete"));
      };
    });
    f.whenComplete((b, e) -> {
      BatchedResponse.Builder answer = e == null ? b
          : BatchedResponse.newBuilder().setError(error(e));
      metrics.served(method, e == null ? Status.Code.OK
          : Status.fromCodeValue(answer.getError().getCode()).getCode(), clock.nanoTime() - start);
      if (inflight.remove(id) != null && !ended.get()) {
        answers.add(answer.setId(id).build());
      }
    });
  }

  /** A failure as the answer's error: what the unary method would have failed with. */
  static RequestError error(Throwable e) {
    StatusRuntimeException s = Errors.toStatus(e);
    var trailers = s.getTrailers();
    return RequestError.newBuilder()
        .setCode(s.getStatus().getCode().value())
        .setMessage(s.getStatus().getDescription() == null ? "" : s.getStatus().getDescription())
        .setNotApplied(trailers != null && "1".equals(trailers.get(Errors.NOT_APPLIED)))
        .build();
  }

  private void send(List<BatchedResponse> batch) {
    if (!ended.get() && failure == null) {
      metrics.batchMessage(false, batch.size());
      out.onNext(BatchResponse.newBuilder().addAllResponses(batch).build());
    }
  }

  /**
   * Runs after every drain (so never concurrently with {@link #send}): ends the stream with the
   * failure if there is one, else completes it once the client is done and all is answered.
   */
  private void completeIfDone() {
    Status f = failure;
    if (f != null) {
      if (ended.compareAndSet(false, true)) {
        out.onError(f.asRuntimeException());
      }
      return;
    }
    if (halfClosed && inflight.isEmpty() && answers.queued() == 0
        && ended.compareAndSet(false, true)) {
      out.onCompleted();
    }
  }

  /** Ends the stream with an error (a protocol violation by the client). */
  private void fail(Status s) {
    failure = s;
    inflight.clear();
    answers.clear();
    answers.kick();
  }

  @Override
  public void onError(Throwable t) {
    // The client went away (cancelled or its connection broke): nobody waits for the answers.
    ended.set(true);
    inflight.clear();
    answers.clear();
  }

  @Override
  public void onCompleted() {
    halfClosed = true;
    answers.kick();
  }
}
