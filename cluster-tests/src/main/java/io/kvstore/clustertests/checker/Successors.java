package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The causal successors of a register value on one key, as far as the history shows them
 * (contexts are opaque): a write or delete supersedes value v when it carries a context that
 * covers v (whatever its outcome: one that may have been applied may have superseded v, and
 * counting it only makes the check more lenient), and a context covers v when it was returned
 * by a successful read that observed v or
 * a successor of v, or by the successful write of v or of a successor. The closure of that
 * relation from v is v's successor set; a read holding any of its values holds "the write or a
 * causal successor" (C3). If a delete is among the successors, a read may legitimately hold
 * none.
 *
 * <p>Only certain supersession is found, never imagined: a missed edge makes C3 stricter, so the
 * harness must record every context a write carried and every context a read returned.
 *
 * <p>Thread safety: not thread safe (memoizes); one instance per check of one key.
 */
final class Successors {
  /** Successor values of v (v included), and whether a delete superseded v or a successor. */
  record Closure(Set<String> values, boolean deleted) {}

  private final Map<String, Set<String>> contextsOfValue = new HashMap<>();
  private final Map<String, List<OpPair>> writesByContext = new HashMap<>();
  private final Map<String, Closure> memo = new HashMap<>();

  /** @param pairs the operations of one key */
  Successors(List<OpPair> pairs) {
    for (OpPair p : pairs) {
      if (p.isOk() && p.completion().context() != null) {
        String ctx = p.completion().context();
        if (p.f() == Op.F.READ || p.f() == Op.F.FINAL_READ) {
          p.values().forEach(v -> contextsOfValue.computeIfAbsent(v, x -> new HashSet<>()).add(ctx));
        } else if (p.f() == Op.F.WRITE && p.invoke().value() != null) {
          contextsOfValue.computeIfAbsent(p.invoke().value(), x -> new HashSet<>()).add(ctx);
        }
      }
      if ((p.f() == Op.F.WRITE || p.f() == Op.F.DELETE) && p.invoke().context() != null) {
        writesByContext.computeIfAbsent(p.invoke().context(), c -> new ArrayList<>()).add(p);
      }
    }
  }

  Closure of(String value) {
    return memo.computeIfAbsent(value, this::compute);
  }

  private Closure compute(String value) {
    Set<String> values = new HashSet<>(Set.of(value));
    Set<String> seenContexts = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(value));
    boolean deleted = false;
    while (!todo.isEmpty()) {
      for (String ctx : contextsOfValue.getOrDefault(todo.pop(), Set.of())) {
        if (!seenContexts.add(ctx)) {
          continue;
        }
        for (OpPair w : writesByContext.getOrDefault(ctx, List.of())) {
          if (w.f() == Op.F.DELETE) {
            deleted = true;
          } else if (w.invoke().value() != null && values.add(w.invoke().value())) {
            todo.push(w.invoke().value());
          }
        }
      }
    }
    return new Closure(Set.copyOf(values), deleted);
  }
}
