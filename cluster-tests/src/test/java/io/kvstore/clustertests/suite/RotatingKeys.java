package io.kvstore.clustertests.suite;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A workload's few keys, rotating: every {@link #GENERATION_NANOS} all clients move to a fresh
 * generation ({@code <name>-g<n>}), so a key's value (and every read of it recorded in the
 * history) stays small and its siblings stay under the node's limit, while the clients still race
 * on the same few keys at any moment. A scenario may place its keys on chosen replicas ({@link
 * KeyPlacer}): every name is then passed through it. Thread safe.
 */
final class RotatingKeys {
  static final long GENERATION_NANOS = 2_000_000_000L;

  private final List<String> names;
  private final long start;
  private final UnaryOperator<String> place;
  private final Set<String> used = ConcurrentHashMap.newKeySet();

  RotatingKeys(List<String> names, long startNanos) {
    this(names, startNanos, UnaryOperator.identity());
  }

  /** Keys as {@code place} renames them (e.g. to land on chosen replicas). */
  RotatingKeys(List<String> names, long startNanos, UnaryOperator<String> place) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one key");
    }
    this.names = List.copyOf(names);
    this.start = startNanos;
    this.place = place;
  }

  /** A random key of the current generation. */
  String pick(Random rnd) {
    return use(names.get(rnd.nextInt(names.size())) + "-g" + (System.nanoTime() - start) / GENERATION_NANOS);
  }

  /** The first key of the first generation. */
  String first() {
    return use(names.getFirst() + "-g0");
  }

  private String use(String name) {
    String key = place.apply(name);
    used.add(key);
    return key;
  }

  List<String> used() {
    return used.stream().sorted().toList();
  }
}
