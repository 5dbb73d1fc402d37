package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.SetCodec;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * C1, no lost writes (FAULT-SUITE.md), for the set-add workload. Per set key (a key with ADD
 * operations), every element added by an acknowledged (OK) add must be in every successful
 * final read (R = N, from each node), and in the raw local state of at least one replica (the
 * last successful raw read of each). An element missing there is LOST. An element observed that
 * no add ever attempted is UNEXPECTED. An element whose adds were all indeterminate (INFO, or
 * never completed) and that shows up is RECOVERED (fine). An element whose adds all FAILED
 * ("definitely not applied") and that shows up contradicts that label: FAILED-PRESENT, an anomaly
 * too (the harness must record a write that may have landed, such as an UNAVAILABLE one, as INFO).
 *
 * <p>A replica lacking an acknowledged element while another has it is not a lost write but
 * divergence (C2's business): counted as {@code rawReplicaMisses} and noted. A key with
 * acknowledged adds but no successful final read fails: nothing verified it.
 *
 * <p>Thread safety: immutable.
 */
public final class LostWritesChecker implements Checker {
  public static final String NAME = "C1 no lost writes";
  private static final int SHOW = 20;

  @Override
  public CheckResult check(History history) {
    List<OpPair> pairs = history.pairs();
    CheckResult.Builder r = CheckResult.builder(NAME);
    for (String c : List.of("keys", "attempted", "acknowledged", "indeterminate", "failed", "lost",
        "lostInFinalRead", "lostInRaw", "unexpected", "recovered", "failedPresent", "finalReads",
        "rawReplicaMisses")) {
      r.count(c, 0);
    }
    Map<String, Map<Integer, Element>> adds = adds(pairs, r);
    Map<String, List<OpPair>> finals = FinalViews.finalReads(pairs);
    Map<String, Map<String, OpPair>> raws = FinalViews.lastRawReads(pairs);
    for (Map.Entry<String, Map<Integer, Element>> e : adds.entrySet()) {
      String key = e.getKey();
      checkKey(key, e.getValue(), finals.getOrDefault(key, List.of()),
          raws.getOrDefault(key, Map.of()), r);
    }
    return r.count("keys", adds.size()).build();
  }

  /** What the adds of one element amount to. Mutable while collecting; one per (key, element). */
  private static final class Element {
    OpPair first;
    OpPair ok;
    boolean indeterminate;

    String name() {
      return FinalViews.name(ok != null ? ok : first);
    }
  }

  private static Map<String, Map<Integer, Element>> adds(List<OpPair> pairs, CheckResult.Builder r) {
    Map<String, Map<Integer, Element>> m = new TreeMap<>();
    for (OpPair p : pairs) {
      if (p.f() != Op.F.ADD) {
        continue;
      }
      int v;
      try {
        v = SetCodec.element(p.invoke().value());
      } catch (IllegalArgumentException e) {
        r.anomaly("key " + p.key() + ": " + FinalViews.name(p) + " adds a malformed element: "
            + e.getMessage());
        continue;
      }
      Element el = m.computeIfAbsent(p.key(), k -> new TreeMap<>()).computeIfAbsent(v, x -> new Element());
      el.first = el.first == null ? p : el.first;
      switch (p.outcome()) {
        case OK -> el.ok = el.ok == null ? p : el.ok;
        case INFO -> el.indeterminate = true;
        default -> { }
      }
    }
    return m;
  }

  private static void checkKey(String key, Map<Integer, Element> els, List<OpPair> finals,
      Map<String, OpPair> raws, CheckResult.Builder r) {
    SortedSet<Integer> acked = new TreeSet<>();
    els.forEach((v, el) -> {
      if (el.ok != null) {
        acked.add(v);
      }
    });
    long indeterminate = els.values().stream().filter(el -> el.ok == null && el.indeterminate).count();
    r.add("attempted", els.size()).add("acknowledged", acked.size())
        .add("indeterminate", indeterminate).add("failed", els.size() - acked.size() - indeterminate)
        .add("finalReads", finals.size());
    Set<Integer> observed = new TreeSet<>();
    Set<Integer> lostFinal = new TreeSet<>();
    if (finals.isEmpty() && !acked.isEmpty()) {
      r.anomaly("key " + key + ": no successful final read; " + acked.size()
          + " acknowledged adds unverified");
    }
    for (OpPair fr : finals) {
      SortedSet<Integer> seen = decode(key, fr, fr.values(), r);
      observed.addAll(seen);
      SortedSet<Integer> missing = minus(acked, seen);
      lostFinal.addAll(missing);
      if (!missing.isEmpty()) {
        r.anomaly("key " + key + ": final read " + FinalViews.name(fr) + " lacks " + missing.size()
            + " acknowledged adds: " + describe(missing, els));
      }
    }
    Set<Integer> lostRaw = rawView(key, acked, els, raws, observed, r);
    Set<Integer> lost = new TreeSet<>(lostFinal);
    lost.addAll(lostRaw);
    r.add("lostInFinalRead", lostFinal.size()).add("lostInRaw", lostRaw.size()).add("lost", lost.size());
    classifyObserved(key, els, observed, r);
  }

  /** Checks the replicas' raw states; adds what they hold to {@code observed}; returns lost. */
  private static Set<Integer> rawView(String key, Set<Integer> acked, Map<Integer, Element> els,
      Map<String, OpPair> raws, Set<Integer> observed, CheckResult.Builder r) {
    if (raws.isEmpty()) {
      r.note("key " + key + ": no raw reads of replicas; raw view not checked");
      return Set.of();
    }
    Set<Integer> union = new TreeSet<>();
    for (Map.Entry<String, OpPair> e : raws.entrySet()) {
      SortedSet<Integer> seen = decode(key, e.getValue(), FinalViews.live(e.getValue()), r);
      union.addAll(seen);
      SortedSet<Integer> missing = minus(acked, seen);
      r.add("rawReplicaMisses", missing.size());
      if (!missing.isEmpty()) {
        r.note("key " + key + ": replica " + e.getKey() + " (" + FinalViews.name(e.getValue())
            + ") lacks " + missing.size() + " acknowledged adds: " + FinalViews.firstFew(missing, SHOW));
      }
    }
    observed.addAll(union);
    SortedSet<Integer> lost = minus(acked, union);
    if (!lost.isEmpty()) {
      r.anomaly("key " + key + ": " + lost.size() + " acknowledged adds missing from every replica's"
          + " raw state (" + raws.keySet() + "): " + describe(lost, els));
    }
    return lost;
  }

  private static void classifyObserved(String key, Map<Integer, Element> els, Set<Integer> observed,
      CheckResult.Builder r) {
    Set<Integer> unexpected = new TreeSet<>();
    Set<Integer> failedPresent = new TreeSet<>();
    long recovered = 0;
    for (int v : observed) {
      Element el = els.get(v);
      if (el == null) {
        unexpected.add(v);
      } else if (el.ok == null && el.indeterminate) {
        recovered++;
      } else if (el.ok == null) {
        failedPresent.add(v);
      }
    }
    r.add("unexpected", unexpected.size()).add("recovered", recovered)
        .add("failedPresent", failedPresent.size());
    if (!unexpected.isEmpty()) {
      r.anomaly("key " + key + ": " + unexpected.size() + " elements observed that no add attempted: "
          + FinalViews.firstFew(unexpected, SHOW));
    }
    if (!failedPresent.isEmpty()) {
      r.anomaly("key " + key + ": " + failedPresent.size() + " elements observed whose adds all"
          + " failed (definitely not applied): " + describe(failedPresent, els));
    }
  }

  private static SortedSet<Integer> decode(String key, OpPair read, List<String> values,
      CheckResult.Builder r) {
    try {
      return SetCodec.union(values);
    } catch (IllegalArgumentException e) {
      r.anomaly("key " + key + ": " + FinalViews.name(read) + " returned an undecodable set: "
          + e.getMessage());
      return new TreeSet<>();
    }
  }

  private static SortedSet<Integer> minus(Set<Integer> a, Set<Integer> b) {
    SortedSet<Integer> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  private static String describe(Set<Integer> elements, Map<Integer, Element> els) {
    List<String> named = elements.stream().map(v -> v + " (" + els.get(v).name() + ")").toList();
    return FinalViews.firstFew(named, SHOW);
  }
}
