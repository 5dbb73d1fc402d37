package io.kvstore.proto.stream;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calling side of a multiplexed request stream (kvstore.proto Batch, replica.proto
 * ReplicaBatch): requests to one server share one long-lived bidirectional stream, each with an id;
 * requests that queue while a message is being written share the next one ({@link Coalescer}), and
 * answers are matched back by id in whatever order the server sends them.
 *
 * <p>Per request, as with a unary call: a deadline (sent along, and enforced here by a timer that
 * fails the request with DEADLINE_EXCEEDED and tells the server to drop it), cancellation (a
 * cancel sent along; the callback gets CANCELLED), and exactly one outcome. When the stream fails
 * (the server cannot be reached, the connection breaks), every request still waiting fails with
 * the stream's status, cause included (a refused connection still reads as "never sent"), and the
 * next request opens a new stream.
 *
 * <p>A request sent while no other is waiting goes out at once on the caller's thread; while
 * others are, the write is left to {@code sender} (best: the channel's I/O thread, which wakes up
 * to write anyway), so the requests of all callers that arrive until it runs share one message.
 *
 * <p>Thread safe.
 *
 * @param <Q> one request
 * @param <A> one answer
 * @param <O> a message of the stream from this side
 * @param <I> a message of the stream from the server
 */
public final class StreamMux<Q, A, O, I> {
  /** The messages of one kind of stream. */
  public interface Wire<Q, A, O, I> {
    /** Starts a stream call whose answers go to {@code in} (a stub's bidi method). */
    void open(ClientResponseObserver<O, I> in);

    /** {@code request} with its id and timeout set. */
    Q stamp(Q request, long id, long timeoutMicros);

    /** One message carrying {@code requests} and the ids of cancelled ones. */
    O message(List<Q> requests, List<Long> cancels);

    List<A> answers(I message);

    long id(A answer);
  }

  /** Where one request's outcome goes: exactly one call, on a transport or timer thread. */
  public interface Callback<A> {
    void answered(A answer);

    void failed(Status status);
  }

  private final Wire<Q, A, O, I> wire;
  private final ScheduledExecutorService timer;
  private final Executor sender;
  private final int maxBatch;
  private final AtomicLong ids = new AtomicLong();
  private final Object lock = new Object();
  private Stream stream;

  /**
   * @param timer enforces the requests' deadlines
   * @param sender writes the messages while other requests are in flight
   * @param maxBatch the most requests per message
   */
  public StreamMux(Wire<Q, A, O, I> wire, ScheduledExecutorService timer, Executor sender,
      int maxBatch) {
    this.wire = wire;
    this.timer = timer;
    this.sender = sender;
    this.maxBatch = maxBatch;
  }

  /**
   * Sends one request with a deadline of {@code timeoutNanos}; returns what cancels it (the
   * callback then gets CANCELLED, unless it already got its outcome).
   */
  public Runnable send(Q request, long timeoutNanos, Callback<A> callback) {
    long id = ids.incrementAndGet();
    Q stamped = wire.stamp(request, id, Math.max(1, TimeUnit.NANOSECONDS.toMicros(timeoutNanos)));
    Stream s = stream();
    Pending p = new Pending(s, id, callback);
    s.pending.put(id, p);
    p.timeout = timer.schedule(p::expire, timeoutNanos, TimeUnit.NANOSECONDS);
    if (s.dead) { // failed between stream() and put: nobody else will fail this one
      p.fail(s.failure);
    } else {
      s.out.add(stamped);
    }
    return p::cancel;
  }

  private Stream stream() {
    synchronized (lock) {
      if (stream == null || stream.dead) {
        stream = new Stream();
        // Outside any inbound call's context: the stream outlives the call that opened it.
        Context previous = Context.ROOT.attach();
        try {
          wire.open(stream);
        } finally {
          Context.ROOT.detach(previous);
        }
      }
      return stream;
    }
  }

  /**
   * Half-closes the stream (the caller is closing): the server answers what it has and ends it.
   * A request sent after this opens a new stream.
   */
  public void close() {
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

  /** One stream call and the requests waiting for an answer on it. */
  private final class Stream implements ClientResponseObserver<O, I> {
    final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    /** Requests (Q) and ids of cancelled ones (Long), in the order they were queued. */
    final Coalescer<Object> out = new Coalescer<>(maxBatch, this::ready, this::write,
        this::halfCloseIfClosing, sender, () -> pending.size() > 1);
    volatile ClientCallStreamObserver<O> call;
    volatile boolean dead;
    volatile boolean closing;
    volatile Status failure;
    private boolean halfClosed; // only touched by the coalescer's drains, which never overlap

    private boolean ready() {
      ClientCallStreamObserver<O> c = call;
      return c != null && c.isReady() && !dead;
    }

    @SuppressWarnings("unchecked")
    private void write(List<Object> items) {
      List<Q> requests = new ArrayList<>(items.size());
      List<Long> cancels = new ArrayList<>(0);
      for (Object item : items) {
        if (item instanceof Long id) {
          cancels.add(id);
        } else {
          requests.add((Q) item);
        }
      }
      call.onNext(wire.message(requests, cancels));
    }

    /** After a drain: half-closes once closing and every queued request was written. */
    private void halfCloseIfClosing() {
      if (closing && !halfClosed && !dead && out.queued() == 0 && call != null) {
        halfClosed = true;
        call.onCompleted();
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<O> requestStream) {
      call = requestStream;
      requestStream.setOnReadyHandler(out::kick);
    }

    @Override
    public void onNext(I message) {
      for (A a : wire.answers(message)) {
        Pending p = pending.get(wire.id(a));
        if (p != null && p.settle()) {
          p.callback.answered(a);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      end(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end(Status.UNAVAILABLE.withDescription("the server ended the stream"));
    }

    private void end(Status s) {
      failure = s;
      dead = true;
      out.clear();
      for (Pending p : pending.values()) {
        p.fail(s);
      }
    }
  }

  /** One request waiting for its answer. */
  private final class Pending {
    final Stream stream;
    final long id;
    final Callback<A> callback;
    final AtomicBoolean settled = new AtomicBoolean();
    volatile ScheduledFuture<?> timeout;

    Pending(Stream stream, long id, Callback<A> callback) {
      this.stream = stream;
      this.id = id;
      this.callback = callback;
    }

    boolean settle() {
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

    void fail(Status s) {
      if (settle()) {
        callback.failed(s);
      }
    }

    void expire() {
      if (settle()) {
        stream.out.add(id);
        callback.failed(Status.DEADLINE_EXCEEDED.withDescription(
            "no answer within the request's deadline (batched request)"));
      }
    }

    void cancel() {
      if (settle()) {
        stream.out.add(id);
        callback.failed(Status.CANCELLED.withDescription("cancelled by the caller"));
      }
    }
  }
}
