package io.kvstore.clustertests.suite;

import java.time.Duration;

/**
 * One run of the suite: a workload against the cluster while one nemesis injects faults.
 * Immutable.
 */
record Scenario(String name, NemesisKind nemesis, boolean negativeControl, Duration duration,
    Duration faultPeriod, long seed) {

  /** Workload duration per scenario: the CI profile, or {@code -Dkv.faultProfile=long}. */
  static Duration profileDuration() {
    return "long".equals(System.getProperty("kv.faultProfile"))
        ? Duration.ofMinutes(3) : Duration.ofSeconds(45);
  }
}
