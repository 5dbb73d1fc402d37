package io.kvstore.clustertests.history;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An invocation with its completion (null while pending, or when the run ended first). Checkers
 * reason about operations through pairs: a pair without completion counts as {@link
 * Op.Type#INFO}, since its effect is unknown.
 *
 * <p>Thread safety: immutable value. Invariants: {@code invoke} is an invocation; a completion
 * has the same process, function and key, and a later index.
 */
public record OpPair(Op invoke, Op completion) {
  public OpPair {
    if (invoke == null || !invoke.isInvoke()) {
      throw new IllegalArgumentException("not an invocation: " + invoke);
    }
    if (completion != null && (completion.isInvoke() || completion.process() != invoke.process()
        || completion.index() <= invoke.index())) {
      throw new IllegalArgumentException("not a completion of " + invoke + ": " + completion);
    }
  }

  /** Pairs each invocation with the next op of its process, in order of invocation. */
  public static List<OpPair> pair(List<Op> ops) {
    Map<Integer, Integer> open = new HashMap<>();
    List<Op> invokes = new ArrayList<>();
    List<Op> completions = new ArrayList<>();
    for (Op op : ops) {
      if (op.isInvoke()) {
        open.put(op.process(), invokes.size());
        invokes.add(op);
        completions.add(null);
      } else {
        Integer i = open.remove(op.process());
        if (i == null) {
          throw new IllegalArgumentException("completion without invocation: " + op);
        }
        completions.set(i, op);
      }
    }
    List<OpPair> pairs = new ArrayList<>(invokes.size());
    for (int i = 0; i < invokes.size(); i++) {
      pairs.add(new OpPair(invokes.get(i), completions.get(i)));
    }
    return pairs;
  }

  /** OK, FAIL or INFO; INFO when there is no completion. */
  public Op.Type outcome() {
    return completion == null ? Op.Type.INFO : completion.type();
  }

  public boolean isOk() {
    return outcome() == Op.Type.OK;
  }

  public Op.F f() {
    return invoke.f();
  }

  public String key() {
    return invoke.key();
  }

  /** Invocation time, nanos since the run started. */
  public long start() {
    return invoke.time();
  }

  /** Completion time, or {@link Long#MAX_VALUE} when the operation never completed. */
  public long end() {
    return completion == null ? Long.MAX_VALUE : completion.time();
  }

  /** Nanoseconds from invocation to completion, or -1 without a completion. */
  public long latencyNanos() {
    return completion == null ? -1 : completion.time() - invoke.time();
  }

  /** The completion's observed values (empty without one). */
  public List<String> values() {
    return completion == null ? List.of() : completion.values();
  }
}
