package io.kvstore.clustertests.suite;

import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Renames keys so that every one lands where a scenario wants it: on a partition whose whole
 * preference list (its N primaries, then the fallbacks, in order) is a given one. A key {@code k}
 * becomes {@code k.i} for the smallest i &gt;= 0 that lands there (about one try in five on a
 * five-node ring), the same name every time. Thread safe.
 */
final class KeyPlacer implements UnaryOperator<String> {
  /** Gives up after this many suffixes (the odds of needing them are nil on a sane ring). */
  private static final int MAX_TRIES = 100_000;

  private final Ring ring;
  private final int n;
  private final List<NodeId> preference;
  private final Map<String, String> placed = new ConcurrentHashMap<>();

  /** Keys placed on {@code partition}'s preference list (N = {@code n} primaries first). */
  KeyPlacer(Ring ring, int partition, int n) {
    if (n < 1 || n >= ring.members().size()) {
      throw new IllegalArgumentException("need 1 <= N < members to have fallbacks, got N=" + n
          + " of " + ring.members().size());
    }
    this.ring = ring;
    this.n = n;
    this.preference = ring.preferenceListWithFallbacks(partition);
  }

  @Override
  public String apply(String key) {
    return placed.computeIfAbsent(key, this::find);
  }

  /** The N primary replicas of every placed key, in preference order. */
  List<NodeId> primaries() {
    return preference.subList(0, n);
  }

  /** The fallbacks of every placed key, in the order a coordinator tries them. */
  List<NodeId> fallbacks() {
    return preference.subList(n, preference.size());
  }

  /** Whether {@code key} (as is) lands on this placer's preference list. */
  boolean lands(String key) {
    return ring.preferenceListWithFallbacks(ring.partitionOf(ClientOps.bytes(key)))
        .equals(preference);
  }

  private String find(String key) {
    for (int i = 0; i < MAX_TRIES; i++) {
      String candidate = key + "." + i;
      if (lands(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no suffix of " + key + " lands on " + preference);
  }
}
