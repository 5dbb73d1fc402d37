package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.ConvergenceChecker;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.RawSibling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The polls C2 ({@link ConvergenceChecker}) judges: after the final heal and before any client
 * read, the raw local state of every replica of every key, round after round, until each key's
 * replicas agreed on two polls at least {@link #STABLE} apart, or the time is up. Nothing here
 * reads through a coordinator, so nothing is read-repaired: what converges is converged by hinted
 * handoff and anti-entropy. A key that is stable is not polled again; the others are, every
 * {@link #INTERVAL}. Polling goes on past the bound (to twice it) so that a failed run also shows
 * whether and when the replicas converged late.
 */
final class ConvergencePoller {
  /** Between the starts of two rounds. */
  static final Duration INTERVAL = Duration.ofMillis(500);
  /**
   * The least time between the poll that agreed and the one that confirms it
   * ({@code -Dkv.convergenceStableMillis}): long enough for a sync or a purge under way to
   * show.
   */
  static final Duration STABLE =
      Duration.ofMillis(Long.getLong("kv.convergenceStableMillis", 1000));

  private ConvergencePoller() {}

  /** What the polls found. */
  record Result(int rounds, int keys, int stable, long lastRoundEndNanos) {}

  /**
   * Polls from now on; {@code healNanos} is the heal on the history's clock.
   *
   * @param replicas key -> the indexes of its replica nodes
   */
  static Result poll(RawReader reader, History history, Map<String, List<Integer>> replicas,
      long healNanos, Duration bound) throws InterruptedException {
    Map<String, Set<RawSibling>> agreed = new LinkedHashMap<>();
    Map<String, Long> agreedAt = new LinkedHashMap<>();
    List<String> pending = new ArrayList<>(replicas.keySet());
    long give = healNanos + 2 * bound.toNanos();
    int rounds = 0;
    while (!pending.isEmpty()) {
      long round = history.now();
      rounds++;
      List<String> next = new ArrayList<>();
      for (String key : pending) {
        List<List<RawSibling>> states = new ArrayList<>();
        boolean failed = false;
        for (int node : replicas.get(key)) {
          List<RawSibling> s = reader.read(key, node);
          failed |= s == null;
          states.add(s == null ? List.of() : s);
        }
        Set<RawSibling> a = failed ? null : ConvergenceChecker.agreement(states);
        Set<RawSibling> before = agreed.get(key);
        if (a == null) {
          agreed.remove(key);
          next.add(key);
        } else if (before != null && ConvergenceChecker.sameState(before, a)) {
          if (round - agreedAt.get(key) < STABLE.toNanos()) {
            next.add(key); // agreed again, too soon to call it stable
          }
        } else {
          agreed.put(key, a);
          agreedAt.put(key, round);
          next.add(key);
        }
      }
      pending = next;
      if (pending.isEmpty() || history.now() > give) {
        break;
      }
      long sleep = (round + INTERVAL.toNanos() - history.now()) / 1_000_000;
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
    }
    return new Result(rounds, replicas.size(), replicas.size() - pending.size(), history.now());
  }
}
