package io.kvstore.client;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server interceptor that makes a test server look paused (SIGSTOP): while closed, every call
 * blocks its server thread before the handler runs and is not answered; the client sees nothing
 * until its deadline. On {@link #resume} calls that their client has cancelled meanwhile are
 * dropped, the others proceed. Records the KvStore methods that arrived while paused. Thread safe.
 */
final class PauseGate implements ServerInterceptor {
  private final List<String> blocked = new CopyOnWriteArrayList<>();
  private boolean paused;

  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /** KvStore calls that arrived while paused. */
  int blocked() {
    return blocked.size();
  }

  /** KvStore calls of {@code method} ("Get", "Put", ...) that arrived while paused. */
  int blocked(String method) {
    return (int) blocked.stream().filter(method::equals).count();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    boolean waited = awaitOpen(call.getMethodDescriptor().getServiceName(),
        call.getMethodDescriptor().getBareMethodName());
    if (waited && call.isCancelled()) {
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }

  /** Blocks while paused; true if it had to wait. */
  synchronized boolean awaitOpen(String service, String method) {
    if (!paused) {
      return false;
    }
    if (service != null && service.endsWith("KvStore")) {
      blocked.add(method);
    }
    while (paused) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return true;
      }
    }
    return true;
  }
}
