package io.kvstore.clustertests.history;

import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Runs randomized trials reproducibly (as node's versioning tests do). Each trial gets its own
 * seed; a failure is rethrown with that seed and the command that replays exactly that trial
 * ({@code -Dkvstore.seed=<seed>}).
 *
 * <p>Thread safety: stateless.
 */
public final class Seeds {
  static final String PROPERTY = "kvstore.seed";

  private Seeds() {}

  /** Runs {@code body} for {@code trials} seeds, or only for the seed given in the property. */
  public static void trials(String test, int trials, LongConsumer body) {
    String fixed = System.getProperty(PROPERTY);
    if (fixed != null && !fixed.isBlank()) {
      System.out.println(test + ": replaying seed " + fixed.trim());
      run(test, Long.parseLong(fixed.trim()), body);
      return;
    }
    long base = new Random().nextLong();
    System.out.println(test + ": base seed " + base);
    Random seeds = new Random(base);
    for (int i = 0; i < trials; i++) {
      run(test, seeds.nextLong(), body);
    }
  }

  private static void run(String test, long seed, LongConsumer body) {
    try {
      body.accept(seed);
    } catch (Throwable t) {
      String msg = test + " failed with seed " + seed + "; replay: ./mvnw -pl cluster-tests test"
          + " -Dtest='" + test + "' -D" + PROPERTY + "=" + seed;
      System.out.println(msg);
      throw new AssertionError(msg + "\n  " + t, t);
    }
  }
}
