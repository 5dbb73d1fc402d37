package io.kvstore.node.rpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.kvstore.node.NodeError;
import io.kvstore.node.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Shared plumbing of the service methods: admission control (a bounded number of requests in
 * flight; beyond it RESOURCE_EXHAUSTED rather than an unbounded queue), the request deadline (the
 * client's, else the configured default), and completing the response observer from a future.
 * Thread safe.
 */
public final class Calls {
  private final Semaphore inflight;
  private final int maxInflight;
  private final Duration defaultTimeout;
  private final Clock clock;

  public Calls(int maxInflight, Duration defaultTimeout, Clock clock) {
    this.inflight = new Semaphore(maxInflight);
    this.maxInflight = maxInflight;
    this.defaultTimeout = defaultTimeout;
    this.clock = clock;
  }

  public Deadline deadline() {
    Deadline d = Context.current().getDeadline();
    return d != null ? d : clock.deadlineAfter(defaultTimeout.toMillis());
  }

  /** The deadline of a batched request: {@code micros} from now, 0 = the default timeout. */
  Deadline deadlineAfterMicros(long micros) {
    return micros > 0 ? Deadline.after(micros, TimeUnit.MICROSECONDS, clock.ticker())
        : clock.deadlineAfter(defaultTimeout.toMillis());
  }

  /** Runs {@code call} if admitted and sends its result (or its error, mapped) to {@code out}. */
  public <T> void run(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
    unadmitted(out, () -> admitted(call));
  }

  /**
   * Runs {@code call} if admitted (one of the bounded requests in flight until its future
   * completes), else fails at once with RESOURCE_EXHAUSTED; a call that throws fails the future.
   */
  <T> CompletableFuture<T> admitted(Supplier<CompletableFuture<T>> call) {
    if (!inflight.tryAcquire()) {
      return CompletableFuture.failedFuture(NodeError.exhausted(
          "node is overloaded: " + maxInflight + " requests in flight; retry with backoff"));
    }
    try {
      return call.get().whenComplete((v, e) -> inflight.release());
    } catch (RuntimeException e) {
      inflight.release();
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Runs {@code call} without admission control (heartbeats: refusing them under load would
   * make peers convict a node that is only busy) and sends its result or error to {@code out}.
   */
  public <T> void unadmitted(StreamObserver<T> out, Supplier<CompletableFuture<T>> call) {
    CompletableFuture<T> f;
    try {
      f = call.get();
    } catch (RuntimeException e) {
      out.onError(Errors.toStatus(e));
      return;
    }
    f.whenComplete((v, e) -> {
      if (e != null) {
        out.onError(Errors.toStatus(e));
      } else {
        out.onNext(v);
        out.onCompleted();
      }
    });
  }
}
