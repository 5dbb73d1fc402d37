package io.kvstore.gossip;

/**
 * The local verdict on one peer: its detector, the generation it is judged at, whether it is
 * alive, whether it announced a shutdown, and counters.
 *
 * <p>Not thread-safe; owned by {@link GossipCore}. Invariants: {@code shutdown} implies not
 * alive; {@code generation} never decreases; a new generation discards the detector history
 * and the shutdown mark; only an ack to one of our own pings turns a down peer alive.
 */
final class PeerTracker {
  private final PhiAccrualDetector detector;
  private long generation;
  private boolean alive = true;
  private boolean shutdown;
  private long lastAckSeq = -1;
  private boolean acked;
  private long convictions;

  /** A peer just learnt at {@code nowMillis}: alive, no history, clock running from now. */
  PeerTracker(long generation, GossipConfig config, long nowMillis) {
    this.detector = new PhiAccrualDetector(config);
    this.generation = generation;
    detector.startClock(nowMillis);
  }

  long generation() {
    return generation;
  }

  boolean alive() {
    return alive;
  }

  long convictions() {
    return convictions;
  }

  double phi(long nowMillis) {
    return detector.phi(nowMillis);
  }

  /** -1 if no ack arrived since the peer was learnt or restarted. */
  long lastAckAge(long nowMillis) {
    return acked ? nowMillis - detector.lastMillis() : -1;
  }

  /**
   * Takes note of {@code newGeneration}; returns true if it is newer than the known one (the peer
   * restarted), in which case history and any shutdown mark are gone and the clock restarts.
   * Liveness is unchanged: a down peer comes back with its next ack.
   */
  boolean observeGeneration(long newGeneration, long nowMillis) {
    if (newGeneration <= generation) {
      return false;
    }
    generation = newGeneration;
    shutdown = false;
    acked = false;
    detector.reset();
    detector.startClock(nowMillis);
    return true;
  }

  /** Marks the current generation shut down; returns true if the peer was alive until now. */
  boolean markShutdown() {
    shutdown = true;
    boolean was = alive;
    alive = false;
    return was;
  }

  /**
   * An ack to our ping {@code seq}, sent at {@code sentMillis}, arrived at {@code nowMillis}
   * from the current generation. The heartbeat is sampled at the send time: the peer was alive
   * between sending and now, and the send times follow this node's own regular schedule.
   * Returns true if the peer came up with it. Duplicated or overtaken acks (seq not above the
   * last one seen) are ignored.
   */
  boolean onAck(long seq, long sentMillis, long nowMillis, double threshold) {
    if (seq <= lastAckSeq) {
      return false;
    }
    lastAckSeq = seq;
    acked = true;
    detector.heartbeat(sentMillis);
    if (!alive && !shutdown && detector.phi(nowMillis) <= threshold) {
      alive = true;
      return true;
    }
    return false;
  }

  /** Marks the peer down by the detector's verdict. */
  void convict() {
    alive = false;
    convictions++;
  }
}
