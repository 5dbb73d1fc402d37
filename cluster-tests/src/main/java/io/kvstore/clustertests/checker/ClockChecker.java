package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * C5, clocks (FAULT-SUITE.md; VERSIONING.md), over what the raw reads (RAW_READ) show. Client
 * contexts are opaque, so the checks are those that dots and replica clocks allow:
 *
 * <ol>
 *   <li><b>Dots are unique</b>: no two siblings of one key, on any replica at any time, share a
 *       dot with different values (or tombstone-ness); one raw read never lists a dot twice. A
 *       reused dot is KV679: two writes that {@code sync} would take for one.
 *   <li><b>Dots are covered</b>: every sibling's dot (a, k) is covered by its replica's clock,
 *       clock[a] &gt;= k.
 *   <li><b>Clocks do not go back</b>: successive successful raw reads of a key on one replica
 *       return clocks that grow pointwise, unless the later read found the key absent (empty
 *       clock: tombstones purged) or a fault window that may lose state ({@code mayLoseState},
 *       e.g. a crash) overlaps the time between the two reads.
 * </ol>
 *
 * <p>With a context decoder (client contexts are opaque to the history; the harness knows their
 * encoding), also:
 *
 * <ol start="4">
 *   <li><b>A returned clock dominates the context it was written with</b>: an acknowledged write
 *       (ADD, WRITE) that returned a context returned one strictly greater than the context it
 *       carried (the write's own dot is new). A write answered without a context (the
 *       coordinator held concurrent siblings) is counted, not judged.
 * </ol>
 *
 * <p>"No read returns two siblings where one's clock dominates the other" is, in a DVV store,
 * a property of {@code sync} that only the replicas' clocks could refute: siblings carry a dot,
 * not a clock, and are concurrent by construction; checks 1 and 2 are what remains observable.
 *
 * <p>Thread safety: immutable.
 */
public final class ClockChecker implements Checker {
  public static final String NAME = "C5 clocks";
  private final Predicate<FaultWindow> mayLoseState;
  private final Function<String, Map<String, Long>> contexts;

  /**
   * @param mayLoseState which fault windows may make a replica forget state (e.g. crashes)
   * @param contexts decodes a recorded (base64) client context to its version vector, actor to
   *     counter; null to skip check 4
   */
  public ClockChecker(Predicate<FaultWindow> mayLoseState,
      Function<String, Map<String, Long>> contexts) {
    this.mayLoseState = mayLoseState;
    this.contexts = contexts;
  }

  /** Checks 1-3; any fault window may lose state, so clock monotonicity is judged across quiet spans. */
  public ClockChecker() {
    this(w -> true, null);
  }

  @Override
  public CheckResult check(History history) {
    CheckResult.Builder r = CheckResult.builder(NAME).count("rawReads", 0).count("dots", 0)
        .count("reusedDots", 0).count("uncoveredDots", 0).count("clockRegressions", 0)
        .count("malformed", 0);
    if (contexts != null) {
      r.count("writeContextsChecked", 0).count("writeContextsNotGrown", 0)
          .count("writesWithoutContext", 0);
    }
    Map<String, Map<String, Set<RawSibling>>> dotsByKey = new TreeMap<>();
    Map<String, OpPair> previous = new HashMap<>();
    Map<String, Map<String, Long>> previousClock = new HashMap<>();
    List<FaultWindow> lossy = history.faults().stream().filter(mayLoseState).toList();
    for (OpPair p : history.pairs()) {
      if (contexts != null && p.isOk() && (p.f() == Op.F.ADD || p.f() == Op.F.WRITE)) {
        writeContext(p, r);
      }
      if (p.f() != Op.F.RAW_READ || !p.isOk()) {
        continue;
      }
      r.add("rawReads", 1);
      Map<String, Long> clock;
      try {
        clock = Clocks.clock(p.completion().clock());
      } catch (IllegalArgumentException e) {
        r.add("malformed", 1).anomaly("key " + p.key() + ": " + FinalViews.name(p) + ": " + e.getMessage());
        continue;
      }
      siblings(p, clock, dotsByKey.computeIfAbsent(p.key(), k -> new HashMap<>()), r);
      String replica = p.key() + "\u0000" + p.invoke().node();
      OpPair prev = previous.put(replica, p);
      Map<String, Long> prevClock = previousClock.put(replica, clock);
      if (prev != null && !clock.isEmpty() && !Clocks.leq(prevClock, clock)
          && lossy.stream().noneMatch(w -> w.overlaps(prev.end(), p.start()))) {
        r.add("clockRegressions", 1).anomaly("key " + p.key() + ": replica " + p.invoke().node()
            + " clock went back from " + prevClock + " (" + FinalViews.name(prev) + ") to " + clock
            + " (" + FinalViews.name(p) + ") with no state-losing fault in between");
      }
    }
    return r.build();
  }

  /** Check 4 for one acknowledged write. */
  private void writeContext(OpPair w, CheckResult.Builder r) {
    String returned = w.completion().context();
    if (returned == null || returned.isEmpty()) {
      r.add("writesWithoutContext", 1);
      return;
    }
    Map<String, Long> before;
    Map<String, Long> after;
    try {
      String carried = w.invoke().context();
      before = carried == null || carried.isEmpty() ? Map.of() : contexts.apply(carried);
      after = contexts.apply(returned);
    } catch (RuntimeException e) {
      r.add("malformed", 1).anomaly("key " + w.key() + ": " + FinalViews.name(w)
          + ": undecodable context: " + e.getMessage());
      return;
    }
    r.add("writeContextsChecked", 1);
    if (!Clocks.leq(before, after) || before.equals(after)) {
      r.add("writeContextsNotGrown", 1).anomaly("key " + w.key() + ": " + FinalViews.name(w)
          + " carried context " + before + " but returned " + after
          + ", which does not strictly dominate it");
    }
  }

  private static void siblings(OpPair p, Map<String, Long> clock, Map<String, Set<RawSibling>> seenDots,
      CheckResult.Builder r) {
    Set<String> inThisRead = new HashSet<>();
    for (RawSibling s : p.completion().raw()) {
      Clocks.Dot dot;
      try {
        dot = Clocks.dot(s.dot());
      } catch (IllegalArgumentException e) {
        r.add("malformed", 1).anomaly("key " + p.key() + ": " + FinalViews.name(p) + ": " + e.getMessage());
        continue;
      }
      if (!inThisRead.add(s.dot())) {
        r.add("reusedDots", 1).anomaly("key " + p.key() + ": " + FinalViews.name(p)
            + " lists dot " + s.dot() + " twice");
      }
      Set<RawSibling> variants = seenDots.computeIfAbsent(s.dot(), d -> new LinkedHashSet<>());
      if (variants.isEmpty()) {
        r.add("dots", 1);
      }
      if (variants.add(s) && variants.size() > 1) {
        r.add("reusedDots", 1).anomaly("key " + p.key() + ": dot " + s.dot() + " names "
            + variants.size() + " different siblings " + variants + " (latest in "
            + FinalViews.name(p) + ")");
      }
      if (!Clocks.covers(clock, dot)) {
        r.add("uncoveredDots", 1).anomaly("key " + p.key() + ": sibling " + s + " on replica "
            + p.invoke().node() + " is not covered by its clock " + p.completion().clock() + " ("
            + FinalViews.name(p) + ")");
      }
    }
  }
}
