package io.kvstore.clustertests.checker;

import java.util.List;
import java.util.Locale;

/**
 * The control of a scenario that claims to take down all but one of the primary replicas of its
 * keys (two of N=3): while the fault is on, the harness writes to keys with those primaries with
 * PW = 2 (two primary acks required, fallbacks do not count), and every such write must be
 * refused UNAVAILABLE. One that is acknowledged shows that two primaries were still up, so the
 * scenario did not test what it claims (sloppy quorum with primaries down) and fails; one that
 * ends otherwise (a timeout, another code) does not show the primaries down either, and fails it
 * too. Too few attempts prove nothing and fail it as well.
 *
 * <p>These writes go to keys of their own (with the same primaries), outside the history: an
 * indeterminate strict write there cannot disturb what the checkers judge.
 *
 * <p>Thread safety: stateless; the records are immutable values.
 */
public final class PrimaryQuorumControl {
  public static final String NAME = "PW=2 control";

  private PrimaryQuorumControl() {}

  /** How one control write ended. */
  public enum Outcome {
    /** Acknowledged: two primaries took it. */
    OK,
    /** Refused UNAVAILABLE: fewer than PW primaries reachable. */
    UNAVAILABLE,
    /** Anything else: a timeout, another status code, the node unreachable. */
    OTHER
  }

  /**
   * One control write.
   *
   * @param key the key written
   * @param coordinator the node it was sent to
   * @param sinceFaultNanos when it was sent, nanos after the fault started
   * @param outcome how it ended
   * @param detail the error, or the acks of an acknowledged write
   */
  public record Attempt(String key, String coordinator, long sinceFaultNanos, Outcome outcome,
      String detail) {}

  /**
   * Judges the control writes of one fault window.
   *
   * @param claim what the fault is said to be, for messages ("n2 killed, n4 paused: two of the
   *     primaries n2,n3,n4")
   * @param convictionNanos how long after the fault started every live node saw both downed
   *     primaries DOWN (the control writes started then), or -1 if they never did within the wait
   * @param attempts the control writes, in order
   * @param minAttempts the fewest attempts that prove anything, &gt;= 1
   */
  public static CheckResult judge(String claim, long convictionNanos, List<Attempt> attempts,
      int minAttempts) {
    if (minAttempts < 1) {
      throw new IllegalArgumentException("minAttempts must be >= 1, got " + minAttempts);
    }
    long ok = attempts.stream().filter(a -> a.outcome() == Outcome.OK).count();
    long unavailable = attempts.stream().filter(a -> a.outcome() == Outcome.UNAVAILABLE).count();
    long other = attempts.size() - ok - unavailable;
    CheckResult.Builder r = CheckResult.builder(NAME).count("attempted", attempts.size())
        .count("acknowledged", ok).count("unavailable", unavailable).count("other", other)
        .count("convictionMillis", convictionNanos < 0 ? -1 : convictionNanos / 1_000_000);
    if (convictionNanos < 0) {
      r.note("the live nodes did not all see the downed primaries DOWN before the control writes"
          + " started");
    }
    if (attempts.size() < minAttempts) {
      r.anomaly("only " + attempts.size() + " PW=2 control writes were attempted during the fault ("
          + claim + "); need " + minAttempts + " to show that two primaries were down");
    }
    if (ok > 0) {
      r.anomaly(ok + " of " + attempts.size() + " PW=2 writes were acknowledged during the fault ("
          + claim + "): two primaries of the keys were up, so the scenario did not take them down"
          + " as it claims; first: " + describe(first(attempts, Outcome.OK)));
    }
    if (other > 0) {
      r.anomaly(other + " of " + attempts.size() + " PW=2 writes ended otherwise than UNAVAILABLE"
          + " during the fault (" + claim + "), which does not show the primaries down; first: "
          + describe(first(attempts, Outcome.OTHER)));
    }
    return r.build();
  }

  private static Attempt first(List<Attempt> attempts, Outcome o) {
    return attempts.stream().filter(a -> a.outcome() == o).findFirst().orElseThrow();
  }

  private static String describe(Attempt a) {
    return String.format(Locale.ROOT, "key %s via %s at +%.1f s: %s %s", a.key(), a.coordinator(),
        a.sinceFaultNanos() / 1e9, a.outcome(), a.detail());
  }
}
