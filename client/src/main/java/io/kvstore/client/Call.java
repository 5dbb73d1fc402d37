package io.kvstore.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One call of {@link KvClient}, over as many attempts as its rules allow (see the class comment
 * of KvClient): the first attempt goes to the node the {@link NodeSelector} prefers (a replica of
 * the key when the client knows the ring, see {@link RingTracker}); an idempotent call not
 * answered after the hedge delay is also sent to the next best node that is not suspect, the
 * key's other replicas first (and so on, one node per hedge delay, up to maxAttempts), and the
 * first answer wins while the others are cancelled. A failure that allows it (unreachable; for
 * reads UNAVAILABLE or a call the node cancelled; for writes UNAVAILABLE when the node said
 * nothing was applied, or always when configured) moves on to the next node at once, again the
 * key's other replicas first. Any other failure stops new attempts; the call still waits for
 * attempts in flight, as one of them may answer.
 *
 * <p>Not thread safe: one calling thread runs it. Attempts hand their results over through a
 * blocking queue, which publishes them to that thread.
 */
final class Call<T> {
  private static final long NEVER = Long.MAX_VALUE;

  private final Routing routing;
  private final Attempt.Rpc<T> rpc;
  private final boolean idempotent;
  private final int[] replicas;
  private final long hedgeDelay;
  private final BlockingQueue<Attempt<T>> finished = new LinkedBlockingQueue<>();
  private final List<Attempt<T>> inFlight = new ArrayList<>();
  private final boolean[] tried;
  private int sent;
  private final List<String> unreachable = new ArrayList<>();
  private StatusRuntimeException lastConnectFailure;
  private KvException lastAnswer;
  private KvException lastTimeout;

  /**
   * @param replicas the endpoints that replicate the call's key, in preference order (empty:
   *     unknown, or not a keyed call): tried first, see {@link NodeSelector#pick(boolean[],
   *     boolean, int[])}
   */
  Call(Routing routing, Attempt.Rpc<T> rpc, boolean idempotent, int[] replicas) {
    this.routing = routing;
    this.rpc = rpc;
    this.idempotent = idempotent;
    this.replicas = replicas;
    this.hedgeDelay = routing.selector().hedgeDelayNanos();
    this.tried = new boolean[routing.endpoints().size()];
  }

  /** Runs the call; returns the first answer or throws the most telling failure. */
  T run() {
    send(true);
    long hedgeAt = nextHedge();
    while (!inFlight.isEmpty()) {
      Attempt<T> a = await(hedgeAt);
      if (a == null) {
        hedgeAt = send(false) ? nextHedge() : NEVER;
        continue;
      }
      inFlight.remove(a);
      if (a.status() == null) {
        abandonInFlight();
        return a.value();
      }
      if (!mayMoveOn(a)) {
        hedgeAt = NEVER;
      } else if (send(true)) {
        hedgeAt = nextHedge();
      }
    }
    throw failure();
  }

  /** Sends one more attempt if the budget and the nodes allow; suspects only if allowed. */
  private boolean send(boolean allowSuspect) {
    if (sent >= routing.maxAttempts()) {
      return false;
    }
    int node = routing.selector().pick(excluded(), allowSuspect, replicas);
    if (node < 0) {
      return false;
    }
    tried[node] = true;
    sent++;
    inFlight.add(Attempt.send(routing.endpoints().get(node), node, rpc,
        routing.policy().timeoutNanos(), routing.selector(), finished::add));
    return true;
  }

  /** Nodes not yet tried; once all were (maxAttempts above the node count), all not in flight. */
  private boolean[] excluded() {
    for (boolean t : tried) {
      if (!t) {
        return tried.clone();
      }
    }
    boolean[] busy = new boolean[tried.length];
    inFlight.forEach(a -> busy[a.node] = true);
    return busy;
  }

  private long nextHedge() {
    return idempotent && routing.policy().hedging()
        ? routing.clock().nanoTime() + hedgeDelay : NEVER;
  }

  /** The next finished attempt, or null when {@code deadline} comes first. */
  private Attempt<T> await(long deadline) {
    try {
      if (deadline == NEVER) {
        return finished.take();
      }
      return finished.poll(deadline - routing.clock().nanoTime(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      inFlight.forEach(a -> a.abandon(false));
      Thread.currentThread().interrupt();
      Status s = Status.CANCELLED.withDescription("interrupted").withCause(e);
      throw KvException.answered(s.asRuntimeException(),
          routing.endpoints().get(inFlight.get(inFlight.size() - 1).node).address());
    }
  }

  /** Records a failed attempt; true when the call may try another node. */
  private boolean mayMoveOn(Attempt<T> a) {
    String address = routing.endpoints().get(a.node).address();
    StatusRuntimeException e = a.status().asRuntimeException();
    if (Unreachable.test(a.status())) {
      unreachable.add(address);
      lastConnectFailure = e;
      return true;
    }
    KvException failure = KvException.answered(e, address);
    if (a.status().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      lastTimeout = failure;
      return false;
    }
    lastAnswer = failure;
    if (a.status().getCode() == Status.Code.CANCELLED) {
      return idempotent; // not by this client: the node dropped the call, e.g. shutting down
    }
    return a.status().getCode() == Status.Code.UNAVAILABLE
        && (idempotent || a.notApplied() || routing.retryWritesOnUnavailable());
  }

  /** Cancels the losers; one that waited the hedge delay unanswered counts against its node. */
  private void abandonInFlight() {
    long now = routing.clock().nanoTime();
    for (Attempt<T> a : inFlight) {
      a.abandon(now - a.start >= hedgeDelay);
    }
  }

  /** An answer other than a timeout, else a timeout, else "cannot reach any node". */
  private KvException failure() {
    if (lastAnswer != null) {
      return lastAnswer;
    }
    if (lastTimeout != null) {
      return lastTimeout;
    }
    return KvException.unreachable(unreachable, lastConnectFailure);
  }
}
