package io.kvstore.clustertests.checker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hinted handoff after the heal (FAULT-SUITE.md, C2: "every hint queue is empty"): the harness
 * asks every node for its hint store ({@code KvClient.status().hints()}, a client pinned to each
 * node) right after the final heal and then every few hundred milliseconds until every node
 * answered with no undelivered hint, or the bound passed. This judges those polls: the queues
 * must have drained within the bound, else the verdict names each node that still holds hints
 * (per target) or did not answer. It also reports the drain time (from the heal to the end of
 * the first poll that found every queue empty) and, per node, the hints delivered, expired,
 * skipped as corrupt and torn tails skipped during the scenario.
 *
 * <p>A node's counters run since its last start, and the cluster serves several scenarios: a
 * scenario's share is the last poll's counter minus the same node's counter when the scenario
 * began, or, when the node restarted in between (another incarnation), the last poll's counter
 * alone (what it did since the restart; a note says so).
 *
 * <p>Unlike a {@link Checker} it judges what the harness measured outside the history. Thread
 * safety: stateless; the records are immutable values.
 */
public final class HintDrain {
  public static final String NAME = "hint drain";

  private HintDrain() {}

  /**
   * One node's hint store as one status call showed it.
   *
   * @param node the node that answered, e.g. "n2"
   * @param incarnation its incarnation (start count), to tell whether its counters restarted
   * @param queued undelivered hints per target node (targets with none may be left out)
   * @param delivered hints its owners durably acknowledged, since the node started
   * @param expired hints dropped for outliving the hint window, since start
   * @param corrupt corrupt hint records skipped, since start
   * @param torn torn segment tails skipped, since start
   */
  public record NodeHints(String node, long incarnation, Map<String, Long> queued,
      long delivered, long expired, long corrupt, long torn) {
    public NodeHints {
      queued = java.util.Collections.unmodifiableMap(new TreeMap<>(queued));
    }

    /** Undelivered hints over every target. */
    public long total() {
      return queued.values().stream().mapToLong(Long::longValue).sum();
    }

    String describeQueues() {
      List<String> parts = new ArrayList<>();
      queued.forEach((target, n) -> {
        if (n > 0) {
          parts.add("for " + target + ": " + n);
        }
      });
      return node + " holds " + total() + " hints (" + String.join(", ", parts) + ")";
    }
  }

  /**
   * One round of status calls after the heal.
   *
   * @param sinceHealNanos when the round ended, nanos after the heal
   * @param answered node -&gt; what it reported
   * @param failed node -&gt; why it did not answer
   */
  public record Poll(long sinceHealNanos, Map<String, NodeHints> answered,
      Map<String, String> failed) {
    public Poll {
      answered = java.util.Collections.unmodifiableMap(new TreeMap<>(answered));
      failed = java.util.Collections.unmodifiableMap(new TreeMap<>(failed));
    }

    /** Every node answered, and none holds an undelivered hint. */
    public boolean drained() {
      return failed.isEmpty() && answered.values().stream().allMatch(h -> h.total() == 0);
    }

    long queued() {
      return answered.values().stream().mapToLong(NodeHints::total).sum();
    }
  }

  /**
   * Judges the polls.
   *
   * @param before each node's hints when the scenario began (counter baselines; a node missing
   *     here counts from its start)
   * @param polls the polls after the heal, in order (the harness stops at the first drained one)
   * @param boundNanos how long after the heal the queues may take to drain, &gt; 0
   */
  public static CheckResult judge(Map<String, NodeHints> before, List<Poll> polls,
      long boundNanos) {
    if (boundNanos <= 0) {
      throw new IllegalArgumentException("bound must be > 0, got " + boundNanos);
    }
    CheckResult.Builder r = CheckResult.builder(NAME).count("polls", polls.size())
        .count("drainMillis", -1).count("boundMillis", boundNanos / 1_000_000)
        .count("queuedAtHeal", polls.isEmpty() ? -1 : polls.getFirst().queued())
        .count("delivered", 0).count("expired", 0).count("corrupt", 0).count("torn", 0);
    if (polls.isEmpty()) {
      return r.anomaly("the hint queues were never polled after the heal").build();
    }
    Poll drained = polls.stream().filter(Poll::drained).findFirst().orElse(null);
    if (drained != null && drained.sinceHealNanos() <= boundNanos) {
      r.count("drainMillis", drained.sinceHealNanos() / 1_000_000);
    } else {
      Poll last = polls.getLast();
      List<String> why = new ArrayList<>();
      last.answered().values().stream().filter(h -> h.total() > 0)
          .forEach(h -> why.add(h.describeQueues()));
      last.failed().forEach((node, error) -> why.add(node + " did not answer: " + error));
      if (why.isEmpty()) {
        why.add("drained only after the bound");
      }
      r.anomaly("hint queues did not drain within " + secs(boundNanos) + " of the heal ("
          + polls.size() + " polls; the last, " + secs(last.sinceHealNanos())
          + " after the heal: " + String.join("; ", why) + ")");
    }
    counters(before, polls.getLast(), r);
    return r.build();
  }

  /** Per node, the scenario's delivered / expired / corrupt / torn, and their totals. */
  private static void counters(Map<String, NodeHints> before, Poll last, CheckResult.Builder r) {
    Set<String> nodes = new TreeSet<>(last.answered().keySet());
    for (String node : nodes) {
      NodeHints now = last.answered().get(node);
      NodeHints then = before.get(node);
      boolean sameRun = then != null && then.incarnation() == now.incarnation();
      if (then != null && !sameRun) {
        r.note(node + " restarted during the scenario (incarnation " + then.incarnation() + " -> "
            + now.incarnation() + "): its counters count since its last start");
      }
      counter(r, node, "delivered", now.delivered(), sameRun ? then.delivered() : 0);
      counter(r, node, "expired", now.expired(), sameRun ? then.expired() : 0);
      counter(r, node, "corrupt", now.corrupt(), sameRun ? then.corrupt() : 0);
      counter(r, node, "torn", now.torn(), sameRun ? then.torn() : 0);
    }
  }

  private static String secs(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  private static void counter(CheckResult.Builder r, String node, String name, long now,
      long then) {
    long v = Math.max(0, now - then);
    r.count(node + "." + name, v).add(name, v);
  }
}
