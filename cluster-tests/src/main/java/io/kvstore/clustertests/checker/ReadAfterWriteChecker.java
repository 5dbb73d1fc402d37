package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.SetCodec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * C3, read-after-write with R + W &gt; N (FAULT-SUITE.md; Dynamo 4.5: overlapping quorums).
 * Considers writes (ADD, WRITE, DELETE) that succeeded with a known number W of primary acks and
 * reads (READ, FINAL_READ) that succeeded with a known number R of primary replies. For such a
 * write and a read of the same key invoked after the write completed, with R + W &gt; N, the read
 * must hold the write or a causal successor:
 *
 * <ul>
 *   <li>ADD of element e: e is in the union of the read's siblings (set values only grow).
 *   <li>WRITE of v: the read holds v or a value of v's successor set ({@link Successors}), unless
 *       a delete superseded v or a successor.
 *   <li>DELETE: the read holds none of the values the delete certainly covered ({@link
 *       DeleteCoverage}).
 * </ul>
 *
 * <p>Enforced only where neither side was {@code sloppy}. Under sloppy quorum a write acked by
 * a fallback for a down primary, or a read answered by one, need not overlap the other side's
 * primaries until hinted handoff has run (Dynamo 4.6), so such a pair is judged the same way
 * (R and W then count the fallbacks' acks too) and a stale read there is counted, not an
 * anomaly: {@code sloppyStalePairs} such (write, read) pairs, {@code sloppyStaleReads} distinct
 * reads, with notes on the first few pairs. Writes or reads with unknown acks ({@code
 * acks} = -1) are skipped and counted; so are pairs with R + W &lt;= N, where a stale read is
 * allowed.
 *
 * <p>Thread safety: immutable.
 */
public final class ReadAfterWriteChecker implements Checker {
  public static final String NAME = "C3 read-after-write";
  /** Notes listed for sloppy stale reads; the rest are only counted. */
  static final int MAX_SLOPPY_NOTES = 10;
  private final int n;

  /** @param n the replication factor N */
  public ReadAfterWriteChecker(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("N must be >= 1, got " + n);
    }
    this.n = n;
  }

  @Override
  public CheckResult check(History history) {
    CheckResult.Builder r = CheckResult.builder(NAME).count("strictWrites", 0).count("strictReads", 0)
        .count("sloppyWrites", 0).count("sloppyReads", 0).count("skippedUnknownAcks", 0)
        .count("pairsChecked", 0).count("pairsNotOverlapping", 0).count("staleReads", 0)
        .count("staleWrites", 0).count("sloppyPairsChecked", 0).count("sloppyStalePairs", 0)
        .count("sloppyStaleReads", 0);
    List<OpPair> pairs = history.pairs();
    Map<OpPair, Set<String>> covered = DeleteCoverage.of(pairs).byDelete();
    Map<String, List<OpPair>> byKey = new TreeMap<>();
    for (OpPair p : pairs) {
      byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(p);
    }
    byKey.forEach((key, ops) -> checkKey(key, ops, covered, r));
    long sloppyStale = r.current("sloppyStalePairs");
    if (sloppyStale > MAX_SLOPPY_NOTES) {
      r.note("... and " + (sloppyStale - MAX_SLOPPY_NOTES) + " more sloppy stale reads (pairs)");
    }
    return r.build();
  }

  private void checkKey(String key, List<OpPair> ops, Map<OpPair, Set<String>> covered,
      CheckResult.Builder r) {
    List<OpPair> writes = new ArrayList<>();
    List<OpPair> reads = new ArrayList<>();
    for (OpPair p : ops) {
      boolean write = p.f().isWrite();
      boolean read = p.f() == Op.F.READ || p.f() == Op.F.FINAL_READ;
      if (!p.isOk() || !(write || read)) {
        continue;
      }
      if (p.completion().acks() < 0) {
        r.add("skippedUnknownAcks", 1);
        continue;
      }
      (write ? writes : reads).add(p);
      r.add((sloppy(p) ? "sloppy" : "strict") + (write ? "Writes" : "Reads"), 1);
    }
    Successors successors = new Successors(ops);
    Set<OpPair> sloppyStale = new HashSet<>();
    for (OpPair w : writes) {
      int stale = 0;
      String first = null;
      for (OpPair rd : reads) {
        if (rd.start() <= w.end()) {
          continue;
        }
        if (quorum(rd) + quorum(w) <= n) {
          r.add("pairsNotOverlapping", 1);
          continue;
        }
        boolean sloppy = sloppy(w) || sloppy(rd);
        r.add(sloppy ? "sloppyPairsChecked" : "pairsChecked", 1);
        String why = violation(w, rd, successors, covered);
        if (why == null) {
          continue;
        }
        if (sloppy) {
          sloppyStale.add(rd);
          r.add("sloppyStalePairs", 1);
          if (r.current("sloppyStalePairs") <= MAX_SLOPPY_NOTES) {
            r.note("sloppy stale read, allowed: key " + key + ": " + describe(w, "W") + " then "
                + describe(rd, "R") + " " + why);
          }
        } else if (stale++ == 0) {
          first = FinalViews.name(rd) + " (R=" + rd.completion().acks() + ", N=" + n
              + ", invoked at " + FinalViews.ms(rd.start()) + ") " + why;
        }
      }
      r.add("staleReads", stale).add("staleWrites", stale == 0 ? 0 : 1);
      if (stale > 0) {
        r.anomaly("key " + key + ": " + FinalViews.name(w) + " (W=" + w.completion().acks()
            + " primary acks, ok at " + FinalViews.ms(w.end()) + ") then " + first
            + (stale > 1 ? "; and " + (stale - 1) + " more later strict reads" : ""));
      }
    }
    r.add("sloppyStaleReads", sloppyStale.size());
  }

  private static boolean sloppy(OpPair p) {
    return p.completion().sloppy();
  }

  /** Every ack (reply) that counted towards the quorum: the primaries' and the fallbacks'. */
  private static int quorum(OpPair p) {
    return p.completion().acks() + p.completion().sloppyAcks();
  }

  private static String describe(OpPair p, String letter) {
    return FinalViews.name(p) + " (" + letter + "=" + p.completion().acks() + " primary + "
        + p.completion().sloppyAcks() + " fallback, " + (p.f().isWrite() ? "ok at "
            + FinalViews.ms(p.end()) : "invoked at " + FinalViews.ms(p.start())) + ")";
  }

  /** Why {@code rd} does not hold {@code w} or a successor, or null if it does. */
  private static String violation(OpPair w, OpPair rd, Successors successors,
      Map<OpPair, Set<String>> covered) {
    List<String> seen = rd.values();
    switch (w.f()) {
      case ADD -> {
        try {
          int e = SetCodec.element(w.invoke().value());
          Set<Integer> union = SetCodec.union(seen);
          return union.contains(e) ? null : "lacks element " + e + " (read " + seen.size()
              + " siblings holding " + union.size() + " elements)";
        } catch (IllegalArgumentException ex) {
          return "cannot be judged: " + ex.getMessage();
        }
      }
      case WRITE -> {
        Successors.Closure c = successors.of(String.valueOf(w.invoke().value()));
        if (c.deleted() || seen.stream().anyMatch(c.values()::contains)) {
          return null;
        }
        return "holds neither " + w.invoke().value() + " nor a successor "
            + FinalViews.firstFew(c.values(), 5) + ": read [" + FinalViews.firstFew(seen, 5) + "]";
      }
      case DELETE -> {
        List<String> back = seen.stream().filter(covered.getOrDefault(w, Set.of())::contains).toList();
        return back.isEmpty() ? null : "still holds deleted values " + back;
      }
      default -> {
        return null;
      }
    }
  }
}
