package io.kvstore.node.coord;

import io.kvstore.node.NodeError;
import io.kvstore.ring.NodeId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Counts replies from the replicas of one request and completes a future once {@code needed}
 * have succeeded, or fails it once that is no longer possible (every replica answered) or the
 * deadline passes. Replies that arrive after completion are still recorded (read repair uses them)
 * and {@link #allDone()} completes when every replica has answered or failed.
 *
 * <p>Thread safe (synchronized on this).
 */
final class Quorum<T, R> {
  private final int total;
  private final int needed;
  private final String what;
  private final Function<Quorum<T, R>, R> onSuccess;
  private final Map<NodeId, T> successes = new LinkedHashMap<>();
  private final Map<NodeId, String> failures = new LinkedHashMap<>();
  final CompletableFuture<R> result = new CompletableFuture<>();
  final CompletableFuture<Map<NodeId, T>> allDone = new CompletableFuture<>();

  Quorum(int total, int needed, String what, Function<Quorum<T, R>, R> onSuccess) {
    this.total = total;
    this.needed = needed;
    this.what = what;
    this.onSuccess = onSuccess;
  }

  synchronized void success(NodeId from, T value) {
    successes.put(from, value);
    check();
  }

  synchronized void failure(NodeId from, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    failures.put(from, cause.getMessage());
    check();
  }

  synchronized Map<NodeId, T> successes() {
    return new LinkedHashMap<>(successes);
  }

  synchronized int successCount() {
    return successes.size();
  }

  /** The deadline passed: fail unless already decided. */
  synchronized void expire() {
    if (!result.isDone()) {
      result.completeExceptionally(NodeError.unavailable(message("within the deadline")));
    }
    if (!allDone.isDone()) {
      allDone.complete(new LinkedHashMap<>(successes));
    }
  }

  private void check() {
    if (!result.isDone() && successes.size() >= needed) {
      result.complete(onSuccess.apply(this));
    }
    if (successes.size() + failures.size() == total) {
      if (!result.isDone()) {
        result.completeExceptionally(NodeError.unavailable(message("")));
      }
      allDone.complete(new LinkedHashMap<>(successes));
    }
  }

  private String message(String when) {
    return "quorum not reached: " + successes.size() + " of " + total + " replicas " + what
        + ", " + needed + " required" + (when.isEmpty() ? "" : " " + when)
        + (failures.isEmpty() ? "" : "; failed: " + failures);
  }
}
