package io.kvstore.node.coord;

import io.kvstore.node.NodeError;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Counts the replies of one request's targets and completes {@link #result} once {@code needed}
 * replies succeeded, enough of them from primary replicas; it fails as soon as that is no longer
 * possible, or with DEADLINE_EXCEEDED when the deadline passes.
 *
 * <p>Primaries first (sloppy quorum, DESIGN.md section 4): of the {@code needed} replies, at least
 * {@code neededPrimaries} (PR/PW) must come from primaries, and as many as are still viable (up to
 * {@code needed}): a fallback's reply completes the quorum only in place of a primary that failed
 * or is slow, never ahead of a primary that is still expected to answer. So R+W>N holds whenever
 * the primaries answer, and {@link #sloppyCount} says how far it did not.
 *
 * <p>A target can fail hard (an error, or skipped because the failure detector sees it down) or
 * be marked slow (no answer within the per-replica timeout): a slow target counts as failed when
 * deciding whether the quorum is still possible, but an answer it sends later is still counted.
 * A lost target (failed or slow) may be replaced ({@link Replacements}: by a fallback, or for a
 * read first by a primary not yet asked) until {@link #allDone}; the replacement joins the
 * targets. Replies that arrive after completion are
 * recorded too (read repair uses them), and {@link #allDone} completes when every target answered
 * or failed hard, or at the deadline.
 *
 * <p>Thread safe (synchronized on this; replacements are launched outside the lock).
 */
final class Quorum<T, R> {
  /** Why a target was lost, and so replaced. */
  enum Lost {
    /** Skipped: the failure detector sees it down (the request never went to it). */
    DOWN,
    /** It answered with an error. */
    FAILED,
    /** It did not answer within the per-replica timeout. */
    SLOW
  }

  /** Recruits fallbacks for lost targets. */
  interface Replacements {
    /**
     * The node to take over from {@code lost}, or null if there is none. Called under the
     * quorum's lock: must not block or call back into the quorum.
     */
    NodeId replace(NodeId lost);

    /** Sends the request to a replacement {@link #replace} returned (outside the lock). */
    void launch(NodeId replacement);

    Replacements NONE = new Replacements() {
      @Override
      public NodeId replace(NodeId lost) {
        return null;
      }

      @Override
      public void launch(NodeId replacement) {}
    };
  }

  private final Set<NodeId> targets;
  private final Set<NodeId> primaries;
  private final int needed;
  private final int neededPrimaries;
  private final String what;
  private final Replacements replacements;
  private final Function<Quorum<T, R>, R> onSuccess;
  private final Map<NodeId, T> successes = new LinkedHashMap<>();
  private final Map<NodeId, String> failures = new LinkedHashMap<>();
  private final Map<NodeId, String> slow = new LinkedHashMap<>();
  private volatile Consumer<Lost> onReplace = lost -> {};
  final CompletableFuture<R> result = new CompletableFuture<>();
  final CompletableFuture<Map<NodeId, T>> allDone = new CompletableFuture<>();

  /**
   * @param targets every replica the request concerns at first (asked or skipped)
   * @param primaries which nodes are primary replicas of the key
   * @param replacements recruits a fallback for each lost target
   */
  Quorum(Collection<NodeId> targets, Set<NodeId> primaries, int needed, int neededPrimaries,
      String what, Replacements replacements, Function<Quorum<T, R>, R> onSuccess) {
    this.targets = new LinkedHashSet<>(targets);
    this.primaries = Set.copyOf(primaries);
    this.needed = needed;
    this.neededPrimaries = neededPrimaries;
    this.what = what;
    this.replacements = replacements;
    this.onSuccess = onSuccess;
  }

  void success(NodeId from, T value) {
    synchronized (this) {
      slow.remove(from);
      successes.put(from, value);
      check();
    }
  }

  void failure(NodeId from, Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    failure(from, cause.getMessage());
  }

  void failure(NodeId from, String reason) {
    lose(from, reason, Lost.FAILED);
  }

  /** {@code from} is skipped: the failure detector sees it down. */
  void down(NodeId from) {
    lose(from, "down per the failure detector", Lost.DOWN);
  }

  /**
   * Calls {@code hook} (outside the lock) once per replacement launched, with why the target it
   * replaces was lost. Set before the first reply can arrive.
   */
  void onReplace(Consumer<Lost> hook) {
    this.onReplace = hook;
  }

  private void lose(NodeId from, String reason, Lost why) {
    List<NodeId> launch;
    synchronized (this) {
      boolean wasSlow = slow.remove(from) != null;
      failures.put(from, reason);
      // A slow target was replaced when it was marked slow.
      launch = wasSlow ? List.of() : replace(List.of(from));
      check();
    }
    launch(launch, why);
  }

  private void launch(List<NodeId> launch, Lost why) {
    for (NodeId r : launch) {
      onReplace.accept(why);
      replacements.launch(r);
    }
  }

  /** Marks every target except {@code except} that has not answered yet as slow. */
  void slow(NodeId except, String reason) {
    List<NodeId> launch;
    synchronized (this) {
      List<NodeId> lost = new ArrayList<>();
      for (NodeId t : targets) {
        if (!t.equals(except) && !successes.containsKey(t) && !failures.containsKey(t)
            && !slow.containsKey(t)) {
          slow.put(t, reason);
          lost.add(t);
        }
      }
      launch = replace(lost);
      check();
    }
    launch(launch, Lost.SLOW);
  }

  /** Recruits a replacement for each lost target while the request is still running. */
  private List<NodeId> replace(List<NodeId> lost) {
    List<NodeId> launch = new ArrayList<>();
    if (allDone.isDone()) {
      return launch;
    }
    for (NodeId l : lost) {
      NodeId r = replacements.replace(l);
      if (r != null && targets.add(r)) {
        launch.add(r);
      }
    }
    return launch;
  }

  synchronized Map<NodeId, T> successes() {
    return new LinkedHashMap<>(successes);
  }

  synchronized int successCount() {
    return successes.size();
  }

  synchronized int primarySuccessCount() {
    int count = 0;
    for (NodeId p : primaries) {
      if (successes.containsKey(p)) {
        count++;
      }
    }
    return count;
  }

  /** How many of the {@code needed} successes had to come from fallbacks (0 = all primary). */
  synchronized int sloppyCount() {
    int fallbackOk = successes.size() - primarySuccessCount();
    return Math.min(fallbackOk, Math.max(0, needed - primarySuccessCount()));
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
    int openPrimaries = 0;
    for (NodeId p : primaries) {
      if (targets.contains(p) && !successes.containsKey(p) && !failures.containsKey(p)
          && !slow.containsKey(p)) {
        openPrimaries++;
      }
    }
    int wantPrimaries = Math.max(neededPrimaries, Math.min(needed, primaryOk + openPrimaries));
    if (!result.isDone() && successes.size() >= needed && primaryOk >= wantPrimaries) {
      result.complete(onSuccess.apply(this));
    }
    int open = targets.size() - successes.size() - failures.size() - slow.size();
    boolean possible = successes.size() + open >= needed
        && primaryOk + openPrimaries >= neededPrimaries;
    if (!result.isDone() && !possible) {
      result.completeExceptionally(NodeError.unavailable(message("")));
    }
    if (successes.size() + failures.size() == targets.size() && !allDone.isDone()) {
      allDone.complete(new LinkedHashMap<>(successes));
    }
  }

  private String message(String when) {
    Map<NodeId, String> failed = new LinkedHashMap<>(failures);
    failed.putAll(slow);
    return "quorum not reached: " + successes.size() + " of " + targets.size() + " nodes " + what
        + ", " + needed + " required"
        + (neededPrimaries > 0 ? " (" + neededPrimaries + " of them primary)" : "")
        + (when.isEmpty() ? "" : " " + when)
        + (failed.isEmpty() ? "" : "; failed: " + failed);
  }
}
