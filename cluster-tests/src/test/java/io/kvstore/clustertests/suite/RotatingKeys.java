package io.kvstore.clustertests.suite;

import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A workload's few keys, rotating: every {@link #GENERATION_NANOS} all clients move to a fresh
 * generation ({@code <name>-g<n>}), so a key's value (and every read of it recorded in the
 * history) stays small and its siblings stay under the node's limit, while the clients still race
 * on the same few keys at any moment. Thread safe.
 */
final class RotatingKeys {
  static final long GENERATION_NANOS = 2_000_000_000L;

  private final List<String> names;
  private final long start;
  private final Set<String> used = ConcurrentHashMap.newKeySet();

  RotatingKeys(List<String> names, long startNanos) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one key");
    }
    this.names = List.copyOf(names);
    this.start = startNanos;
  }

  /** A random key of the current generation. */
  String pick(Random rnd) {
    return use(names.get(rnd.nextInt(names.size())) + "-g" + (System.nanoTime() - start) / GENERATION_NANOS);
  }

  /** The first key of the first generation. */
  String first() {
    return use(names.getFirst() + "-g0");
  }

  private String use(String key) {
    used.add(key);
    return key;
  }

  List<String> used() {
    return used.stream().sorted().toList();
  }
}
