package io.kvstore.node.coord;

import io.kvstore.node.NodeError;
import io.kvstore.ring.NodeId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Counts the replies of one request's targets and completes {@link #result} once {@code needed}
 * replies succeeded, {@code neededPrimaries} of them from primary replicas (PR/PW); it fails as
 * soon as that is no longer possible, or with DEADLINE_EXCEEDED when the deadline passes.
 *
 * <p>A target can fail hard (an error, or skipped because the failure detector sees it down) or
 * be marked slow (no answer within the per-replica timeout): a slow target counts as failed when
 * deciding whether the quorum is still possible, but an answer it sends later is still counted.
 * Replies that arrive after completion are recorded too (read repair uses them), and
 * {@link #allDone} completes when every target answered or failed hard, or at the deadline.
 *
 * <p>Thread safe (synchronized on this).
 */
final class Quorum<T, R> {
  private final int total;
  private final Set<NodeId> primaries;
  private final int needed;
  private final int neededPrimaries;
  private final String what;
  private final Function<Quorum<T, R>, R> onSuccess;
  private final Map<NodeId, T> successes = new LinkedHashMap<>();
  private final Map<NodeId, String> failures = new LinkedHashMap<>();
  private final Map<NodeId, String> slow = new LinkedHashMap<>();
  final CompletableFuture<R> result = new CompletableFuture<>();
  final CompletableFuture<Map<NodeId, T>> allDone = new CompletableFuture<>();

  /**
   * @param targets every replica the request concerns (asked or skipped)
   * @param primaries which of them are primary replicas of the key
   */
  Quorum(Collection<NodeId> targets, Set<NodeId> primaries, int needed, int neededPrimaries,
      String what, Function<Quorum<T, R>, R> onSuccess) {
    this.total = targets.size();
    this.primaries = Set.copyOf(primaries);
    this.needed = needed;
    this.neededPrimaries = neededPrimaries;
    this.what = what;
    this.onSuccess = onSuccess;
  }

  synchronized void success(NodeId from, T value) {
    slow.remove(from);
    successes.put(from, value);
    check();
  }

  synchronized void failure(NodeId from, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    failure(from, cause.getMessage());
  }

  synchronized void failure(NodeId from, String reason) {
    slow.remove(from);
    failures.put(from, reason);
    check();
  }

  /** Marks every target that has not answered yet as slow. */
  synchronized void slow(Collection<NodeId> targets, String reason) {
    for (NodeId t : targets) {
      if (!successes.containsKey(t) && !failures.containsKey(t)) {
        slow.put(t, reason);
      }
    }
    check();
  }

  synchronized Map<NodeId, T> successes() {
    return new LinkedHashMap<>(successes);
  }

  synchronized int successCount() {
    return successes.size();
  }

  synchronized int primarySuccessCount() {
    return (int) successes.keySet().stream().filter(primaries::contains).count();
  }

  /** The deadline passed: fail with DEADLINE_EXCEEDED unless already decided. */
  synchronized void expire() {
    if (!result.isDone()) {
      result.completeExceptionally(NodeError.deadline(message("within the deadline")));
    }
    if (!allDone.isDone()) {
      allDone.complete(new LinkedHashMap<>(successes));
    }
  }

  private void check() {
    int primaryOk = primarySuccessCount();
    if (!result.isDone() && successes.size() >= needed && primaryOk >= neededPrimaries) {
      result.complete(onSuccess.apply(this));
    }
    if (!result.isDone() && !stillPossible(primaryOk)) {
      result.completeExceptionally(NodeError.unavailable(message("")));
    }
    if (successes.size() + failures.size() == total && !allDone.isDone()) {
      allDone.complete(new LinkedHashMap<>(successes));
    }
  }

  private boolean stillPossible(int primaryOk) {
    int openPrimaries = 0;
    for (NodeId p : primaries) {
      if (!successes.containsKey(p) && !failures.containsKey(p) && !slow.containsKey(p)) {
        openPrimaries++;
      }
    }
    int open = total - successes.size() - failures.size() - slow.size();
    return successes.size() + open >= needed && primaryOk + openPrimaries >= neededPrimaries;
  }

  private String message(String when) {
    Map<NodeId, String> failed = new LinkedHashMap<>(failures);
    failed.putAll(slow);
    return "quorum not reached: " + successes.size() + " of " + total + " replicas " + what
        + ", " + needed + " required"
        + (neededPrimaries > 0 ? " (" + neededPrimaries + " of them primary)" : "")
        + (when.isEmpty() ? "" : " " + when)
        + (failed.isEmpty() ? "" : "; failed: " + failed);
  }
}
