package io.kvstore.node.config;

import java.time.Duration;

/**
 * Anti-entropy and tombstone purge settings (DESIGN.md section 7; {@link ConfigLoader} lists the
 * keys and defaults). Immutable.
 *
 * @param enabled off: no scheduled exchanges, periodic rebuilds or purge; trees are still built
 *     at start and kept current, and {@code kv repair} still runs exchanges (and purges)
 * @param exchangeInterval each co-replica is exchanged with about this often (jittered)
 * @param comparePause the pause between the two tree comparisons of one exchange, so writes in
 *     flight are not "repaired"
 * @param rebuildInterval each tree is rebuilt from storage about this often (jittered), to catch
 *     silent divergence such as a lost SSTable; after an unclean stop at once
 * @param rebuildKeysPerSecond cap on the keys a rebuild scans per second
 * @param maxKeysPerSecond cap on the keys whose sibling sets are exchanged per second
 * @param maxBytesPerSecond cap on the sibling-set and key-listing bytes sent and received per
 *     second
 * @param tombstoneGrace a tombstone is purged no earlier than this after its delete, and only once
 *     exchanges that started after that with every co-replica finished a hint window ago
 */
public record AntiEntropyConfig(
    boolean enabled,
    Duration exchangeInterval,
    Duration comparePause,
    Duration rebuildInterval,
    int rebuildKeysPerSecond,
    int maxKeysPerSecond,
    long maxBytesPerSecond,
    Duration tombstoneGrace) {

  public static AntiEntropyConfig defaults() {
    return new AntiEntropyConfig(true, Duration.ofSeconds(60), Duration.ofSeconds(1),
        Duration.ofDays(7), 50_000, 10_000, 8L << 20, Duration.ofDays(1));
  }
}
