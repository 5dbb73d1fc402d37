package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which values an acknowledged delete certainly superseded, judged from the history alone
 * (contexts are opaque). A delete carries the context of an earlier operation on its key: the
 * context a successful read returned covers every sibling that read observed, and the context a
 * successful write returned covers the value written. So the values covered by delete D are the
 * values observed by every successful read (and written by every successful write) on D's key
 * that completed before D was invoked and returned exactly D's context.
 *
 * <p>A covered value v is checkable only when exactly one WRITE of v (to that key) was ever
 * invoked: then the sibling the context covered is the only sibling v can ever have, and v live
 * after the delete is a resurrection. If v was written more than once (a re-add), a later write
 * of v is a new sibling the delete never covered, so v is excluded. Assumes one write operation
 * makes at most one sibling: the client must not retry writes internally (kvstore's client does
 * not unless {@code retryWritesOnUnavailable} is set).
 *
 * <p>Thread safety: immutable value; computed once per history.
 */
final class DeleteCoverage {
  /** A value that acknowledged delete {@code delete} superseded; {@code source} gave the context. */
  record Covered(OpPair delete, String value, OpPair source, OpPair write) {}

  final List<Covered> checkable = new ArrayList<>();
  int acknowledged;
  int withoutSource;
  int covered;
  int excluded;
  final List<String> notes = new ArrayList<>();

  private DeleteCoverage() {}

  static DeleteCoverage of(List<OpPair> pairs) {
    DeleteCoverage dc = new DeleteCoverage();
    Map<String, Map<String, List<OpPair>>> sources = new TreeMap<>();
    Map<String, Map<String, List<OpPair>>> writes = new TreeMap<>();
    for (OpPair p : pairs) {
      if (p.isOk() && p.completion().context() != null
          && (p.f() == Op.F.READ || p.f() == Op.F.FINAL_READ || p.f() == Op.F.WRITE)) {
        sources.computeIfAbsent(p.key(), k -> new TreeMap<>())
            .computeIfAbsent(p.completion().context(), c -> new ArrayList<>()).add(p);
      }
      if (p.f() == Op.F.WRITE && p.invoke().value() != null) {
        writes.computeIfAbsent(p.key(), k -> new TreeMap<>())
            .computeIfAbsent(p.invoke().value(), v -> new ArrayList<>()).add(p);
      }
    }
    for (OpPair d : pairs) {
      if (d.f() == Op.F.DELETE && d.isOk()) {
        dc.acknowledged++;
        dc.cover(d, sources.getOrDefault(d.key(), Map.of()), writes.getOrDefault(d.key(), Map.of()));
      }
    }
    return dc;
  }

  private void cover(OpPair d, Map<String, List<OpPair>> sources, Map<String, List<OpPair>> writes) {
    String ctx = d.invoke().context();
    List<OpPair> from = new ArrayList<>();
    for (OpPair s : ctx == null ? List.<OpPair>of() : sources.getOrDefault(ctx, List.of())) {
      if (s.end() <= d.start()) {
        from.add(s);
      }
    }
    if (from.isEmpty()) {
      withoutSource++;
      notes.add("key " + d.key() + ": acknowledged " + FinalViews.name(d) + " carries "
          + (ctx == null ? "no context" : "a context no earlier successful read or write returned")
          + "; what it covered is unknown");
      return;
    }
    Map<String, OpPair> values = new TreeMap<>();
    for (OpPair s : from) {
      for (String v : s.f() == Op.F.WRITE ? List.of(s.invoke().value()) : s.values()) {
        values.putIfAbsent(v, s);
      }
    }
    for (Map.Entry<String, OpPair> e : values.entrySet()) {
      covered++;
      List<OpPair> ws = writes.getOrDefault(e.getKey(), List.of());
      if (ws.size() == 1) {
        checkable.add(new Covered(d, e.getKey(), e.getValue(), ws.get(0)));
      } else {
        excluded++;
        notes.add("key " + d.key() + ": value " + e.getKey() + " covered by " + FinalViews.name(d)
            + " was written " + ws.size() + " times; not checked for resurrection");
      }
    }
  }

  /** Values of {@code covered} grouped by delete, in order of the deletes. */
  Map<OpPair, Set<String>> byDelete() {
    Map<OpPair, Set<String>> m = new java.util.LinkedHashMap<>();
    for (Covered c : checkable) {
      m.computeIfAbsent(c.delete(), x -> new LinkedHashSet<>()).add(c.value());
    }
    return m;
  }
}
