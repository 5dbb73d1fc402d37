package io.kvstore.client;

import io.kvstore.proto.ClusterStatusResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What a token-aware client knows of the ring: the {@link ReplicaMap} of the newest ring epoch it
 * was told of, learned from status answers ({@code KvStore.GetClusterStatus}). A <em>round</em>
 * asks one node at a time (the first not suspect from a rotating start, healthy before slow) with
 * the probe deadline, and moves on to the next when one does not answer; the first answer ends
 * it. Rounds start at a data call: the first at the client's first data call, then
 * {@link #REFRESH_NANOS} after the last answer, or {@link #RETRY_NANOS} after a round that no node
 * answered. Any status answer, the caller's own {@link KvClient#status()} included, replaces the
 * map when its epoch is newer (never with an older or equal one), so a node that reports a newer
 * epoch is followed at once.
 *
 * <p>Only the first round holds calls up, and for no longer than {@code maxWaitNanos} from its
 * start (the hedge delay: how long a healthy node takes to answer); every later round runs in the
 * background. Until a map is learned (or when the answers carry no replicas: older nodes) the
 * client routes as it would without a ring.
 *
 * <p>Thread safe: round state under this object's lock; the map is a volatile immutable value, and
 * a call while no round is due takes no lock.
 * Fetches are started outside the lock (their callbacks may run on the calling thread).
 */
final class RingTracker {
  /** The longest a learned map goes unrefreshed. */
  static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(30);
  /** When to try again after a round that no node answered. */
  static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int[] NONE = new int[0];

  /** Sends one status request to node {@code node}; calls exactly one of the two back. */
  @FunctionalInterface
  interface Fetcher {
    void fetch(int node, long timeoutNanos, Consumer<ClusterStatusResponse> answered,
        Runnable failed);
  }

  private final List<String> addresses;
  private final NodeSelector selector;
  private final Clock clock;
  private final Fetcher fetcher;
  private final long fetchTimeoutNanos;
  private volatile ReplicaMap map;
  private boolean started;
  private boolean fetching;
  private volatile long nextRoundAt; // written under the lock; read without it on the fast path
  private long roundStart;
  private boolean firstRound;
  private CompletableFuture<Void> roundDone = CompletableFuture.completedFuture(null);
  private boolean[] askedThisRound;
  private int cursor;

  RingTracker(List<String> addresses, NodeSelector selector, Clock clock, Fetcher fetcher,
      long fetchTimeoutNanos) {
    this.addresses = List.copyOf(addresses);
    this.selector = selector;
    this.clock = clock;
    this.fetcher = fetcher;
    this.fetchTimeoutNanos = fetchTimeoutNanos;
  }

  /**
   * The endpoints that replicate {@code key}, in preference order, for a data call starting now;
   * empty when unknown. Starts a round when one is due; while the first round runs, waits for it
   * up to {@code maxWaitNanos} from its start.
   */
  int[] replicasOf(byte[] key, long maxWaitNanos) {
    ReplicaMap known = map;
    if (known != null && clock.nanoTime() - nextRoundAt < 0) { // no round due: no lock taken
      return known.replicasOf(key);
    }
    CompletableFuture<Void> wait = null;
    long waitUntil = 0;
    boolean start = false;
    synchronized (this) {
      long now = clock.nanoTime();
      if (!fetching && (!started || now - nextRoundAt >= 0)) {
        start = true;
        firstRound = !started;
        started = true;
        fetching = true;
        roundStart = now;
        askedThisRound = new boolean[addresses.size()];
        roundDone = new CompletableFuture<>();
      }
      if (fetching && firstRound && map == null) {
        wait = roundDone;
        waitUntil = roundStart + maxWaitNanos;
      }
    }
    if (start) {
      askNext();
    }
    if (wait != null) {
      await(wait, waitUntil - clock.nanoTime());
    }
    ReplicaMap m = map;
    return m == null ? NONE : m.replicasOf(key);
  }

  /** A status answer, from a round or from any status call: kept if its ring is newer. */
  void offer(ClusterStatusResponse status) {
    ReplicaMap m = ReplicaMap.of(status, addresses);
    if (m == null) {
      return;
    }
    synchronized (this) {
      if (map == null || m.epoch() > map.epoch()) {
        map = m;
      }
      if (!fetching && m.epoch() == map.epoch()) { // as good as a round's answer
        started = true;
        nextRoundAt = clock.nanoTime() + REFRESH_NANOS;
      }
    }
  }

  /** The epoch of the map in use, or -1 while there is none (for tests and diagnostics). */
  long epoch() {
    ReplicaMap m = map;
    return m == null ? -1 : m.epoch();
  }

  /** Asks the next node of the round, or ends the round unanswered when none is left. */
  private void askNext() {
    int node;
    synchronized (this) {
      node = nextNode();
      if (node < 0) {
        endRound(RETRY_NANOS);
        return;
      }
      askedThisRound[node] = true;
      cursor = (node + 1) % addresses.size();
    }
    fetcher.fetch(node, fetchTimeoutNanos, status -> {
      offer(status);
      synchronized (this) {
        endRound(REFRESH_NANOS);
      }
    }, this::askNext);
  }

  /** From the cursor on: the first healthy node not yet asked, else the first slow one; -1 if none. */
  private int nextNode() {
    int slow = -1;
    for (int i = 0; i < addresses.size(); i++) {
      int node = (cursor + i) % addresses.size();
      if (askedThisRound[node]) {
        continue;
      }
      NodeHealth.Rank r = selector.rank(node);
      if (r == NodeHealth.Rank.HEALTHY) {
        return node;
      }
      if (r == NodeHealth.Rank.SLOW && slow < 0) {
        slow = node;
      }
    }
    return slow;
  }

  private void endRound(long nextAfterNanos) {
    fetching = false;
    nextRoundAt = clock.nanoTime() + nextAfterNanos;
    roundDone.complete(null);
  }

  private static void await(CompletableFuture<Void> done, long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      done.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // not learned in time: this call routes as without a ring
    }
  }
}
