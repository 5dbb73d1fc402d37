package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * C2, convergence (FAULT-SUITE.md). After the heal, the harness polls the raw local state
 * (RAW_READ) of every replica of every key, one raw read per (key, replica) per poll, until they
 * agree, and then once more. Poll k of a key is the k-th raw read (by invocation) of each of its
 * replicas invoked at or after the heal. A poll agrees when every replica's read succeeded and
 * all hold the identical sibling set (same dots, values and tombstones). The key has converged
 * when its last two polls both agree on the same set (stable on a second poll). Its convergence
 * time is from the heal to the end of the first poll from which every poll agrees on that final
 * set; the run's is the maximum over keys and must be within the bound if one is given. Every
 * hint queue must be empty ({@code hintCounts}: node -> pending hints, measured at the end).
 *
 * <p>Only raw reads invoked before the run's first final read (FINAL_READ) are polls: final
 * reads are at R = N and repair the replicas they read, so what converged after them may have
 * been converged by read repair. C2 judges the replicas as the store's own mechanisms (hinted
 * handoff, anti-entropy) left them; later raw reads are counted and left to C1 and C4.
 *
 * <p>Tombstone purge: a replica may purge a tombstone-only state once it is sure every replica
 * holds it, and replicas purge at their own pace. So a replica that holds nothing agrees with
 * replicas that hold only tombstones (a purge in progress; counted), and a tombstone-only state
 * followed by nothing is the same state across polls. Replicas that hold different non-empty
 * sets, or nothing against a live sibling, disagree.
 *
 * <p>The heal time is the given one, or else the end of the last fault window (0 without any).
 * Replicas of a key are the given ones ({@code replicas}: key -> nodes; raw reads of other nodes
 * are ignored), or else the nodes whose raw state was read after the heal; a given replica never
 * read is an anomaly.
 *
 * <p>Thread safety: immutable.
 */
public final class ConvergenceChecker implements Checker {
  public static final String NAME = "C2 convergence";
  private final long healNanos;
  private final long boundNanos;
  private final Map<String, Integer> hintCounts;
  private final Map<String, Set<String>> replicas;

  /**
   * @param healNanos when everything was healed (nanos since start), or -1 for the end of the
   *     last fault window
   * @param boundNanos the most convergence may take, or 0 for no bound
   * @param hintCounts node -> hints still queued at the end (empty: none measured / none)
   * @param replicas key -> its replica nodes (empty: those read after the heal)
   */
  public ConvergenceChecker(long healNanos, long boundNanos, Map<String, Integer> hintCounts,
      Map<String, Set<String>> replicas) {
    this.healNanos = healNanos;
    this.boundNanos = boundNanos;
    this.hintCounts = Map.copyOf(hintCounts);
    this.replicas = Map.copyOf(replicas);
  }

  /** Heal at the end of the last fault window, the given bound, no replica map. */
  public ConvergenceChecker(long boundNanos, Map<String, Integer> hintCounts) {
    this(-1, boundNanos, hintCounts, Map.of());
  }

  @Override
  public CheckResult check(History history) {
    CheckResult.Builder r = CheckResult.builder(NAME).count("keys", 0).count("replicasRead", 0)
        .count("polls", 0).count("converged", 0).count("convergenceMillis", -1)
        .count("purgingKeys", 0).count("rawReadsAfterFinalReads", 0).count("hintsPending", 0);
    long heal = healNanos >= 0 ? healNanos : lastFaultEnd(history.faults());
    List<OpPair> pairs = history.pairs();
    long cutoff = firstFinalRead(pairs);
    Map<String, Map<String, List<OpPair>>> polls = pollsByKey(pairs, heal, cutoff, r);
    replicas.forEach((k, nodes) -> nodes.forEach(n ->
        polls.computeIfAbsent(k, x -> new TreeMap<>()).computeIfAbsent(n, x -> new ArrayList<>())));
    if (polls.isEmpty()) {
      r.anomaly("no raw reads of replicas after the heal at " + FinalViews.ms(heal)
          + ": convergence not shown");
    }
    if (r.current("rawReadsAfterFinalReads") > 0) {
      r.note(r.current("rawReadsAfterFinalReads") + " raw reads invoked after the first final"
          + " read (R = N, which repairs) are not polls");
    }
    long worst = -1;
    boolean all = true;
    for (Map.Entry<String, Map<String, List<OpPair>>> e : polls.entrySet()) {
      r.add("keys", 1).add("replicasRead", e.getValue().size());
      long t = checkKey(e.getKey(), e.getValue(), heal, r);
      if (t >= 0) {
        r.add("converged", 1);
        worst = Math.max(worst, t);
      }
      all &= t >= 0;
    }
    if (all && worst >= 0) {
      r.count("convergenceMillis", worst / 1_000_000);
    }
    if (boundNanos > 0 && worst > boundNanos) {
      r.anomaly("convergence took " + FinalViews.ms(worst) + ", more than the bound "
          + FinalViews.ms(boundNanos));
    }
    hintCounts.forEach((node, n) -> {
      r.add("hintsPending", n);
      if (n > 0) {
        r.anomaly("node " + node + " still holds " + n + " hints after the heal");
      }
    });
    return r.build();
  }

  /**
   * The state a set of replicas agree on, or null if they do not: every non-empty state must be
   * the same set; an empty state (nothing held) agrees only with tombstone-only states (a purge
   * in progress). Returns the common non-empty set, or an empty set if all are empty.
   */
  public static Set<RawSibling> agreement(Collection<? extends Collection<RawSibling>> states) {
    Set<RawSibling> common = null;
    boolean someEmpty = false;
    for (Collection<RawSibling> state : states) {
      if (state.isEmpty()) {
        someEmpty = true;
        continue;
      }
      Set<RawSibling> s = sorted(state);
      if (common != null && !common.equals(s)) {
        return null;
      }
      common = s;
    }
    if (common == null) {
      return sorted(List.of());
    }
    return someEmpty && !tombstonesOnly(common) ? null : common;
  }

  /**
   * Whether two agreed states are the same across polls: equal, or one empty and the other
   * tombstone-only (purged in between).
   */
  public static boolean sameState(Set<RawSibling> a, Set<RawSibling> b) {
    return a.equals(b) || (a.isEmpty() && tombstonesOnly(b)) || (b.isEmpty() && tombstonesOnly(a));
  }

  private static boolean tombstonesOnly(Collection<RawSibling> s) {
    return s.stream().allMatch(RawSibling::tombstone);
  }

  private static Set<RawSibling> sorted(Collection<RawSibling> siblings) {
    Set<RawSibling> s = new TreeSet<>(ConvergenceChecker::compare);
    s.addAll(siblings);
    return s;
  }

  private static long lastFaultEnd(List<FaultWindow> faults) {
    long end = 0;
    for (FaultWindow w : faults) {
      end = Math.max(end, w.isOpen() ? w.startNanos() : w.endNanos());
    }
    return end;
  }

  /** When the first final read was invoked, or {@link Long#MAX_VALUE} if there is none. */
  private static long firstFinalRead(List<OpPair> pairs) {
    long first = Long.MAX_VALUE;
    for (OpPair p : pairs) {
      if (p.f() == Op.F.FINAL_READ) {
        first = Math.min(first, p.start());
      }
    }
    return first;
  }

  private Map<String, Map<String, List<OpPair>>> pollsByKey(List<OpPair> pairs, long heal,
      long cutoff, CheckResult.Builder r) {
    Map<String, Map<String, List<OpPair>>> m = new TreeMap<>();
    for (OpPair p : pairs) {
      if (p.f() != Op.F.RAW_READ || p.start() < heal) {
        continue;
      }
      String node = String.valueOf(p.invoke().node());
      Set<String> given = replicas.get(p.key());
      if (given != null && !given.contains(node)) {
        continue;
      }
      if (p.start() >= cutoff) {
        r.add("rawReadsAfterFinalReads", 1);
        continue;
      }
      m.computeIfAbsent(p.key(), k -> new TreeMap<>()).computeIfAbsent(node, n -> new ArrayList<>())
          .add(p);
    }
    return m;
  }

  /** Returns the key's convergence time after the heal, or -1 if it did not converge. */
  private static long checkKey(String key, Map<String, List<OpPair>> byNode, long heal,
      CheckResult.Builder r) {
    int polls = byNode.values().stream().mapToInt(List::size).min().orElse(0);
    r.max("polls", polls);
    List<String> unread = byNode.entrySet().stream().filter(e -> e.getValue().isEmpty())
        .map(Map.Entry::getKey).toList();
    if (!unread.isEmpty()) {
      r.anomaly("key " + key + ": replicas " + unread + " were never read after the heal");
      return -1;
    }
    if (polls < 2) {
      r.anomaly("key " + key + ": " + polls + " complete polls of replicas " + byNode.keySet()
          + " after the heal; need 2 (agreement, then stability)");
      return -1;
    }
    List<Set<RawSibling>> agreed = new ArrayList<>();
    for (int k = 0; k < polls; k++) {
      agreed.add(agreement(byNode, k));
    }
    Set<RawSibling> last = agreed.get(polls - 1);
    Set<RawSibling> before = agreed.get(polls - 2);
    if (last == null || before == null || !sameState(before, last)) {
      r.anomaly("key " + key + ": " + (last == null
          ? "replicas disagree at the last poll: " + describePoll(byNode, polls - 1)
          : before == null
              ? "replicas agree only at the last poll (no stable second poll): " + describePoll(byNode, polls - 2)
              : "replicas agreed, then changed between the last two polls: " + before
                  + " -> " + last));
      return -1;
    }
    // Back from the end while each poll holds the same state (a purge in between allowed;
    // once a non-empty set is seen, earlier non-empty sets must equal it).
    Set<RawSibling> ref = last;
    int first = polls - 1;
    while (first > 0 && agreed.get(first - 1) != null && sameState(ref, agreed.get(first - 1))) {
      first--;
      if (!agreed.get(first).isEmpty()) {
        ref = agreed.get(first);
      }
    }
    boolean tombstones = false;
    boolean emptyReplica = false;
    for (int k = first; k < polls; k++) {
      tombstones |= !agreed.get(k).isEmpty() && tombstonesOnly(agreed.get(k));
      emptyReplica |= hasEmpty(byNode, k);
    }
    if (tombstones && emptyReplica) {
      r.add("purgingKeys", 1); // purged on some replicas while the polls ran
    }
    long end = 0;
    for (List<OpPair> reads : byNode.values()) {
      end = Math.max(end, reads.get(first).end());
    }
    return Math.max(0, end - heal);
  }

  private static boolean hasEmpty(Map<String, List<OpPair>> byNode, int k) {
    return byNode.values().stream().anyMatch(reads -> reads.get(k).completion().raw().isEmpty());
  }

  /** The sibling set all replicas hold at poll k, or null if one failed or they differ. */
  private static Set<RawSibling> agreement(Map<String, List<OpPair>> byNode, int k) {
    List<List<RawSibling>> states = new ArrayList<>();
    for (List<OpPair> reads : byNode.values()) {
      OpPair p = reads.get(k);
      if (!p.isOk()) {
        return null;
      }
      states.add(p.completion().raw());
    }
    return agreement(states);
  }

  private static String describePoll(Map<String, List<OpPair>> byNode, int k) {
    List<String> parts = new ArrayList<>();
    byNode.forEach((node, reads) -> {
      OpPair p = reads.get(k);
      parts.add(node + (p.isOk() ? "=" + p.completion().raw() : " " + p.outcome().jsonName()
          + (p.completion() == null ? "" : " " + p.completion().error())) + " (#" + p.invoke().index() + ")");
    });
    return String.join("; ", parts);
  }

  private static int compare(RawSibling a, RawSibling b) {
    int c = a.dot().compareTo(b.dot());
    if (c == 0) {
      c = a.value().compareTo(b.value());
    }
    return c != 0 ? c : Boolean.compare(a.tombstone(), b.tombstone());
  }
}
