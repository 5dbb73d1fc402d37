package io.kvstore.antientropy;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Seeds for randomized tests: a fresh random seed per test, or the one pinned with
 * {@code -Dkv.test.seed=N} to replay a failure. Every failure message quotes the seed.
 *
 * <p>Stateless; thread-safe.
 */
final class Seeds {
  private Seeds() {}

  static long pick() {
    String pinned = System.getProperty("kv.test.seed");
    return pinned != null ? Long.parseLong(pinned) : ThreadLocalRandom.current().nextLong();
  }
}
