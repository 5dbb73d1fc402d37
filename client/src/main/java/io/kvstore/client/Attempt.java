package io.kvstore.client;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * One attempt of a call at one node: an asynchronous request with its own deadline, either a unary
 * RPC or one request of the node's batch stream ({@link BatchChannel}). When it
 * ends it records its {@link Outcome} in the {@link NodeSelector} (exactly once, whether it
 * finished or was abandoned) and hands itself to the waiting call.
 *
 * <p>Thread safe: gRPC calls the observer methods on a transport thread; {@link #abandon} may
 * race with them. The result fields are written before the hand-over, which publishes them.
 */
final class Attempt<T> implements ClientResponseObserver<Object, T> {
  /** Starts one request of the call at a node. */
  @FunctionalInterface
  interface Rpc<T> {
    /**
     * Sends the request with a deadline of {@code timeoutNanos}; returns what cancels it, or null
     * when the observer learns how ({@code beforeStart}, unary calls).
     */
    Runnable start(Endpoint endpoint, long timeoutNanos, ClientResponseObserver<Object, T> observer);

    /** A unary RPC on the endpoint's stub. */
    static <T> Rpc<T> unary(BiConsumer<KvStoreStub, StreamObserver<T>> call) {
      return (endpoint, timeoutNanos, observer) -> {
        call.accept(endpoint.stub().withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS),
            observer);
        return null;
      };
    }

    /**
     * A unary RPC on the endpoint's stub whose answer comes with the address of the node that
     * gave it, for answers that name their node (each key's error in a multi-key answer).
     */
    static <T> Rpc<Answered<T>> unaryFrom(BiConsumer<KvStoreStub, StreamObserver<T>> call) {
      Rpc<T> rpc = unary(call);
      return (endpoint, timeoutNanos, observer) -> rpc.start(endpoint, timeoutNanos,
          new ClientResponseObserver<Object, T>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
              observer.beforeStart(requestStream);
            }

            @Override
            public void onNext(T value) {
              observer.onNext(new Answered<>(value, endpoint.address()));
            }

            @Override
            public void onError(Throwable t) {
              observer.onError(t);
            }

            @Override
            public void onCompleted() {
              observer.onCompleted();
            }
          });
    }
  }

  /** An answer and the address ("host:port", as configured) of the node that gave it. */
  record Answered<T>(T value, String address) {}

  /** Trailer of an error that changed nothing (kvstore.proto); batched errors carry it too. */
  static final Metadata.Key<String> NOT_APPLIED =
      Metadata.Key.of("kv-not-applied", Metadata.ASCII_STRING_MARSHALLER);

  final int node;
  final long start;
  private final NodeSelector selector;
  private final Consumer<Attempt<T>> done;
  private final AtomicBoolean settled = new AtomicBoolean();
  private volatile Runnable cancel;
  private T value;
  private Status status;
  private boolean notApplied;

  private Attempt(int node, long start, NodeSelector selector, Consumer<Attempt<T>> done) {
    this.node = node;
    this.start = start;
    this.selector = selector;
    this.done = done;
  }

  /** Sends {@code rpc} to the node with a deadline of {@code timeoutNanos}. */
  static <T> Attempt<T> send(Endpoint endpoint, int node, Rpc<T> rpc, long timeoutNanos,
      NodeSelector selector, Consumer<Attempt<T>> done) {
    Attempt<T> a = new Attempt<>(node, selector.begin(node), selector, done);
    Runnable cancel = rpc.start(endpoint, timeoutNanos, a);
    if (cancel != null) {
      a.cancel = cancel;
    }
    return a;
  }

  /** The answer; valid after the hand-over when {@link #status()} is null. */
  T value() {
    return value;
  }

  /** Null on success, else the failure; valid after the hand-over. */
  Status status() {
    return status;
  }

  /**
   * True if the node said the failed request changed nothing (trailer {@code kv-not-applied: 1},
   * kvstore.proto): then even a write may go to another node.
   */
  boolean notApplied() {
    return notApplied;
  }

  /**
   * Gives the attempt up and cancels its RPC. {@code late}: it waited at least the hedge delay
   * unanswered, which counts against the node.
   */
  void abandon(boolean late) {
    if (settled.compareAndSet(false, true)) {
      selector.end(node, start, late ? Outcome.LATE : Outcome.CANCELLED);
    }
    Runnable c = cancel;
    if (c != null) {
      c.run();
    }
  }

  @Override
  public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
    cancel = () -> requestStream.cancel("another node answered first, or the caller gave up", null);
  }

  @Override
  public void onNext(T v) {
    value = v;
  }

  @Override
  public void onError(Throwable t) {
    Metadata trailers = Status.trailersFromThrowable(t);
    notApplied = trailers != null && "1".equals(trailers.get(NOT_APPLIED));
    finish(Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    finish(null);
  }

  private void finish(Status s) {
    status = s;
    if (settled.compareAndSet(false, true)) {
      selector.end(node, start, Outcome.of(s));
    }
    done.accept(this);
  }
}
