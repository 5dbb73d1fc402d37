package io.kvstore.node.rpc;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.kvstore.node.time.Clock;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.stream.Coalescer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The node's side of one multiplexed request stream ({@code KvStore.Batch} of kvstore.proto,
 * {@code Replica.ReplicaBatch} of replica.proto; {@link Wire} knows the messages): every request
 * is admitted,
 * given its deadline and coordinated as its unary method would be; answers go back by id as they
 * complete, those ready together in one message ({@link Coalescer}), and only while the client's
 * side of the connection takes them (flow control). A request the client cancelled gets no answer.
 * The stream completes once the client half-closed it and every request was answered.
 *
 * <p>Thread safe: gRPC delivers the inbound messages one at a time; answers complete on any
 * thread.
 */
final class BatchSession<Q, A, I, O> implements StreamObserver<I> {
  /** The most answers per message. */
  private static final int MAX_BATCH = 128;

  /** The messages of one kind of stream, and how a request is served. */
  interface Wire<Q, A, I, O> {
    List<Q> requests(I message);

    List<Long> cancels(I message);

    long id(Q request);

    long timeoutMicros(Q request);

    /** The unary method's full name (metrics). */
    String method(Q request);

    /** Serves one request as its unary method would; the answer carries the request's id. */
    CompletableFuture<A> serve(Q request, Deadline deadline);

    A error(long id, RequestError error);

    O message(List<A> answers);
  }

  private final Wire<Q, A, I, O> wire;
  private final Calls calls;
  private final RequestMetrics metrics;
  private final Clock clock;
  private final ServerCallStreamObserver<O> out;
  /** Requests without an answer yet, by id. */
  private final Map<Long, Boolean> inflight = new ConcurrentHashMap<>();
  private final Coalescer<A> answers;
  private volatile boolean halfClosed;
  /** Set when the client broke the protocol: the stream ends with it. */
  private volatile Status failure;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final BatchSessions sessions;

  BatchSession(Wire<Q, A, I, O> wire, Calls calls, RequestMetrics metrics, Clock clock,
      BatchSessions sessions, StreamObserver<O> out) {
    this.wire = wire;
    this.sessions = sessions;
    this.calls = calls;
    this.metrics = metrics;
    this.clock = clock;
    this.out = (ServerCallStreamObserver<O>) out;
    this.answers = new Coalescer<>(MAX_BATCH, this.out::isReady, this::send, this::completeIfDone);
    this.out.setOnReadyHandler(answers::kick);
    this.out.setOnCancelHandler(() -> {
      ended.set(true);
      sessions.ended(this);
      inflight.clear();
      answers.clear();
    });
    sessions.opened(this);
  }

  /** Ends the stream once every request started on it is answered (node shutdown). */
  void drain() {
    halfClosed = true;
    answers.kick();
  }

  @Override
  public void onNext(I message) {
    List<Q> requests = wire.requests(message);
    metrics.batchMessage(true, requests.size());
    // Answers ready before every request is started (local reads, writes without a per-write
    // fsync) go back together, in one message.
    answers.hold(() -> {
      for (long id : wire.cancels(message)) {
        inflight.remove(id);
      }
      for (Q r : requests) {
        start(r);
      }
    });
  }

  private void start(Q r) {
    long id = wire.id(r);
    if (inflight.putIfAbsent(id, Boolean.TRUE) != null) {
      fail(Status.INVALID_ARGUMENT.withDescription("request id " + id
          + " is already in flight on this stream"));
      return;
    }
    long start = clock.nanoTime();
    calls.admitted(() -> wire.serve(r, calls.deadlineAfterMicros(wire.timeoutMicros(r))))
        .whenComplete((a, e) -> {
          RequestError error = e == null ? null : error(e);
          metrics.served(wire.method(r), e == null ? Status.Code.OK
              : Status.fromCodeValue(error.getCode()).getCode(), clock.nanoTime() - start);
          if (inflight.remove(id) != null && !ended.get()) {
            answers.add(e == null ? a : wire.error(id, error));
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

  private void send(List<A> batch) {
    if (!ended.get() && failure == null) {
      metrics.batchMessage(false, batch.size());
      out.onNext(wire.message(batch));
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
        sessions.ended(this);
        out.onError(f.asRuntimeException());
      }
      return;
    }
    if (halfClosed && inflight.isEmpty() && answers.queued() == 0
        && ended.compareAndSet(false, true)) {
      sessions.ended(this);
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
    sessions.ended(this);
    inflight.clear();
    answers.clear();
  }

  @Override
  public void onCompleted() {
    halfClosed = true;
    answers.kick();
  }
}
