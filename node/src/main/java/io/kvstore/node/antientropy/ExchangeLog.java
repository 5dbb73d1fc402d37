package io.kvstore.node.antientropy;

import io.kvstore.ring.NodeId;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The completed exchanges of each partition with each co-replica, as (start, end) wall-clock
 * times, kept as long as tombstone purge can need them. A completed exchange that started at
 * {@code s} proves that every state this node held at {@code s} was then held (or superseded) by
 * the peer too: it either compared equal or was synced.
 *
 * <p>Purge needs more than that (DESIGN.md section 7): a hint written before the peer got a
 * tombstone may still hold a value the tombstone superseded, and may be delivered up to a hint
 * window after it was written. So {@link #confirmedStart} answers with the start of the newest
 * exchange that <em>ended</em> at least a hint window ago: by now every hint older than its end
 * is expired (receivers refuse late hints).
 *
 * <p>Thread safe (synchronized). Memory: per (partition, peer), the exchanges of the last hint
 * window plus one.
 */
public final class ExchangeLog {
  private record Done(long start, long end) {}

  private record Pair(int partition, NodeId peer) {}

  private final Map<Pair, Deque<Done>> log = new HashMap<>();
  private final long hintWindowMillis;

  public ExchangeLog(long hintWindowMillis) {
    this.hintWindowMillis = hintWindowMillis;
  }

  /** An exchange of {@code partition} with {@code peer} over [start, end] completed. */
  public synchronized void completed(int partition, NodeId peer, long start, long end) {
    Deque<Done> d = log.computeIfAbsent(new Pair(partition, peer), k -> new ArrayDeque<>());
    d.addLast(new Done(start, end));
    prune(d, end);
  }

  /**
   * The earliest, over {@code peers}, of the start of the newest completed exchange that ended
   * at least a hint window before {@code now}; {@link Long#MIN_VALUE} if some peer has none.
   */
  public synchronized long confirmedStart(int partition, Collection<NodeId> peers, long now) {
    long min = Long.MAX_VALUE;
    for (NodeId peer : peers) {
      Deque<Done> d = log.get(new Pair(partition, peer));
      Done settled = d == null ? null : prune(d, now);
      if (settled == null) {
        return Long.MIN_VALUE;
      }
      min = Math.min(min, settled.start());
    }
    return peers.isEmpty() ? Long.MIN_VALUE : min;
  }

  /**
   * The earliest, over {@code peers}, of the end of the last completed exchange: since then
   * the partition has compared with every co-replica. {@link Long#MIN_VALUE} if some peer has
   * none.
   */
  public synchronized long lastFullExchange(int partition, Collection<NodeId> peers) {
    long min = Long.MAX_VALUE;
    for (NodeId peer : peers) {
      Deque<Done> d = log.get(new Pair(partition, peer));
      if (d == null || d.isEmpty()) {
        return Long.MIN_VALUE;
      }
      min = Math.min(min, d.peekLast().end());
    }
    return peers.isEmpty() ? Long.MIN_VALUE : min;
  }

  /**
   * Drops every exchange older than the newest one that ended a hint window before {@code now},
   * and returns that one (null if none has).
   */
  private Done prune(Deque<Done> d, long now) {
    long settledBy = now - hintWindowMillis;
    Done settled = null;
    for (Done x : d) {
      if (x.end() <= settledBy) {
        settled = x;
      }
    }
    if (settled != null) {
      while (d.peekFirst() != settled) {
        d.removeFirst();
      }
    }
    return settled;
  }
}
