package io.kvstore.client;

/**
 * What the client knows of one node's health: requests outstanding, latency, when it last
 * answered, and whether it is suspect. A node is
 *
 * <ul>
 *   <li><b>suspect</b> after an attempt that timed out while the node answered nothing else since
 *       the attempt was sent, after an unreachable attempt, or after {@link #MISSES_TO_SUSPECT}
 *       attempts in a row abandoned unanswered ({@link Outcome#LATE}). Only a probe, or any
 *       answer, clears it;
 *   <li><b>slow</b> while requests are outstanding and nothing came back for longer than the
 *       hedge delay, or for one probe interval after it answered UNAVAILABLE. Slowness needs no
 *       probe: it ends with the next answer or when the interval is over;
 *   <li><b>healthy</b> otherwise.
 * </ul>
 *
 * <p>Times are {@link Clock} nanoseconds, compared by difference. Not thread safe:
 * {@link NodeSelector} guards it.
 */
final class NodeHealth {
  /** Consecutive LATE attempts, with no answer in between, that make a node suspect. */
  static final int MISSES_TO_SUSPECT = 2;

  /** The node's standing, best first. */
  enum Rank { HEALTHY, SLOW, SUSPECT }

  private LatencyEstimate latency = new LatencyEstimate();
  private int outstanding;
  private long quietSince;
  private boolean everAnswered;
  private long lastAnswer;
  private int misses;
  private boolean demoted;
  private long demotedAt;
  private boolean suspect;
  private boolean probing;
  private long nextProbeAt;

  int outstanding() {
    return outstanding;
  }

  /** The smoothed latency of its answers (and of abandoned attempts), 0 if unknown. */
  long latencyNanos() {
    return latency.smoothedNanos();
  }

  /** An attempt is sent now. */
  void begin(long now) {
    if (outstanding++ == 0) {
      quietSince = now;
    }
  }

  /** An attempt that began at {@code start} ended now with {@code outcome}. */
  void end(long start, long now, Outcome outcome) {
    outstanding--;
    switch (outcome) {
      case SUCCESS -> {
        latency.sample(now - start);
        answered(now);
      }
      case UNAVAILABLE_ANSWER -> {
        answered(now);
        demoted = true;
        demotedAt = now;
      }
      case OTHER_ANSWER -> answered(now);
      case TIMEOUT -> {
        if (!answeredSince(start)) {
          suspect(now);
        }
      }
      case UNREACHABLE -> suspect(now);
      case LATE -> {
        latency.sample(now - start); // a lower bound of what it would have taken
        if (!answeredSince(start) && ++misses >= MISSES_TO_SUSPECT) {
          suspect(now);
        }
      }
      case CANCELLED -> { }
      default -> throw new IllegalArgumentException(outcome.name());
    }
  }

  /** The node's rank now, given how long an unanswered node may stay quiet. */
  Rank rank(long now, long quietLimit, long probeInterval) {
    if (suspect) {
      return Rank.SUSPECT;
    }
    if (demoted && now - demotedAt < probeInterval) {
      return Rank.SLOW;
    }
    return outstanding > 0 && now - quietSince > quietLimit ? Rank.SLOW : Rank.HEALTHY;
  }

  /** True (and now probing) when the node is suspect and its next probe is due. */
  boolean startProbe(long now) {
    if (!suspect || probing || now - nextProbeAt < 0) {
      return false;
    }
    probing = true;
    return true;
  }

  /**
   * The probe started by {@link #startProbe} ended. A suspect that passes starts with a fresh
   * latency estimate: the time its last attempts took says nothing of it now, and an unknown
   * latency wins ties, so the node is tried again.
   */
  void probeDone(boolean passed, long now, long probeInterval) {
    probing = false;
    if (passed) {
      if (suspect) {
        latency = new LatencyEstimate();
      }
      answered(now);
    } else {
      nextProbeAt = now + probeInterval;
    }
  }

  /** For ordering suspects: true if this node answered more recently than {@code other}. */
  boolean answeredAfter(NodeHealth other) {
    return everAnswered && (!other.everAnswered || lastAnswer - other.lastAnswer > 0);
  }

  private void answered(long now) {
    everAnswered = true;
    lastAnswer = now;
    quietSince = now;
    misses = 0;
    suspect = false;
    demoted = false;
  }

  private boolean answeredSince(long start) {
    return everAnswered && lastAnswer - start > 0;
  }

  private void suspect(long now) {
    if (!suspect) {
      suspect = true;
      nextProbeAt = now;
    }
    misses = 0;
  }
}
