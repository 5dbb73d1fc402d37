package io.kvstore.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.stream.Coalescer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The requests of one {@link KvClient} to one node, multiplexed over a long-lived
 * {@code KvStore.Batch} stream (kvstore.proto): each request gets an id, requests that queue while
 * one is being written share the next message ({@link Coalescer}), and answers are matched back by
 * id in whatever order the node sends them.
 *
 * <p>Per request, as with a unary call: a deadline (sent to the node, and enforced here by a
 * timer that fails the request with DEADLINE_EXCEEDED and tells the node to drop it), cancellation
 * (a cancel message; the observer gets CANCELLED), and exactly one outcome delivered to its
 * observer. A request's error arrives as a status without a cause, like a unary call's answer, so
 * {@link Outcome} and {@link Unreachable} judge both alike. When the stream fails (the node cannot
 * be reached, the connection breaks), every request still waiting fails with the stream's status
 * (and its cause: a refused connection still reads as "never sent"), and the next request opens a
 * new stream.
 *
 * <p>Thread safe.
 */
final class BatchChannel {
  /** The most requests per message: a message stays well under gRPC's 4 MiB inbound cap for small values. */
  private static final int MAX_BATCH = 128;
  private static final Metadata.Key<String> NOT_APPLIED =
      Metadata.Key.of("kv-not-applied", Metadata.ASCII_STRING_MARSHALLER);

  private final KvStoreStub stub;
  private final ScheduledExecutorService timer;
  private final Executor sender;
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  private Stream stream;

  /**
   * @param timer enforces the requests' deadlines
   * @param sender writes the messages while other requests are in flight (see {@link Stream})
   */
  BatchChannel(KvStoreStub stub, ScheduledExecutorService timer, Executor sender) {
    this.stub = stub;
    this.timer = timer;
    this.sender = sender;
  }

  /**
   * Sends one request. {@code observer} gets either one value and completion or one error, on a
   * transport or timer thread. Returns what cancels it (the observer then gets CANCELLED).
   *
   * @param request the request with everything but its id and timeout set
   * @param answer the value out of the node's answer (an answer of the wrong kind is INTERNAL)
   */
  <T> Runnable send(BatchedRequest.Builder request, long timeoutNanos,
      Function<BatchedResponse, T> answer, StreamObserver<T> observer) {
    long id = ids.incrementAndGet();
    BatchedRequest req = request.setId(id)
        .setTimeoutMicros(Math.max(1, TimeUnit.NANOSECONDS.toMicros(timeoutNanos))).build();
    Stream s = stream();
    Pending<T> p = new Pending<>(s, id, answer, observer);
    s.pending.put(id, p);
    p.timeout = timer.schedule(p::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    if (s.dead) { // failed between stream() and put: nobody else will fail this one
      p.fail(s.failure);
    } else {
      s.out.add(req);
    }
    return p::cancel;
  }

  private Stream stream() {
    synchronized (lock) {
      if (stream == null || stream.dead) {
        stream = new Stream();
        stub.batch(stream);
      }
      return stream;
    }
  }

  /**
   * Half-closes the stream (the client is closing): the node answers what it has and ends it. A
   * request sent after this opens a new stream.
   */
  void close() {
    Stream s;
    synchronized (lock) {
      s = stream;
      stream = null;
    }
    if (s != null) {
      s.closing = true;
      s.out.kick();
    }
  }

  /**
   * One Batch call and the requests waiting for an answer on it. A request sent while no other is
   * waiting goes out at once on the caller's thread; while others are, the send is left to the
   * sender thread, so the requests of all callers that arrive until it runs share one message.
   */
  private final class Stream implements ClientResponseObserver<BatchRequest, BatchResponse> {
    final Map<Long, Pending<?>> pending = new ConcurrentHashMap<>();
    final Coalescer<Object> out = new Coalescer<>(MAX_BATCH, this::ready, this::write,
        this::halfCloseIfClosing, sender, () -> pending.size() > 1);
    volatile ClientCallStreamObserver<BatchRequest> call;
    volatile boolean dead;
    volatile boolean closing;
    private boolean halfClosed; // only touched by the coalescer's drains, which never overlap
    volatile Status failure;

    private boolean ready() {
      ClientCallStreamObserver<BatchRequest> c = call;
      return c != null && c.isReady() && !dead;
    }

    /** One message: requests, and ids of cancelled ones (queued as Long). */
    private void write(List<Object> items) {
      BatchRequest.Builder m = BatchRequest.newBuilder();
      for (Object item : items) {
        if (item instanceof BatchedRequest r) {
          m.addRequests(r);
        } else {
          m.addCancel((Long) item);
        }
      }
      call.onNext(m.build());
    }

    /** After a drain: half-closes once closing and every queued request was written. */
    private void halfCloseIfClosing() {
      if (closing && !halfClosed && !dead && out.queued() == 0 && call != null) {
        halfClosed = true;
        call.onCompleted();
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<BatchRequest> requestStream) {
      call = requestStream;
      requestStream.setOnReadyHandler(out::kick);
    }

    @Override
    public void onNext(BatchResponse message) {
      for (BatchedResponse r : message.getResponsesList()) {
        Pending<?> p = pending.get(r.getId());
        if (p != null) {
          p.answer(r);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end(Status.UNAVAILABLE.withDescription("the node ended the batch stream"));
    }

    private void end(Status s) {
      failure = s;
      dead = true;
      out.clear();
      for (Pending<?> p : pending.values()) {
        p.fail(s);
      }
    }
  }

  /** One request waiting for its answer. */
  private static final class Pending<T> {
    final Stream stream;
    final long id;
    final Function<BatchedResponse, T> answer;
    final StreamObserver<T> observer;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Pending(Stream stream, long id, Function<BatchedResponse, T> answer,
        StreamObserver<T> observer) {
      this.stream = stream;
      this.id = id;
      this.answer = answer;
      this.observer = observer;
    }

    private boolean settle() {
      if (!settled.compareAndSet(false, true)) {
        return false;
      }
      stream.pending.remove(id);
      ScheduledFuture<?> t = timeout;
      if (t != null) {
        t.cancel(false);
      }
      return true;
    }

    void answer(BatchedResponse r) {
      if (!settle()) {
        return;
      }
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

    void fail(Status s) {
      if (settle()) {
        observer.onError(s.asRuntimeException());
      }
    }

    void expire() {
      if (settle()) {
        stream.out.add(id);
        observer.onError(Status.DEADLINE_EXCEEDED.withDescription(
            "no answer from the node within the request's deadline (batched request)")
            .asRuntimeException());
      }
    }

    void cancel() {
      if (settle()) {
        stream.out.add(id);
        observer.onError(Status.CANCELLED.withDescription("cancelled by the client")
            .asRuntimeException());
      }
    }
  }

  /** A request's error as the status a unary call would have failed with. */
  static io.grpc.StatusRuntimeException toStatus(RequestError e) {
    Metadata trailers = new Metadata();
    if (e.getNotApplied()) {
      trailers.put(NOT_APPLIED, "1");
    }
    return Status.fromCodeValue(e.getCode()).withDescription(e.getMessage())
        .asRuntimeException(trailers);
  }
}
