package io.kvstore.client;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Clients of the fake servers, shared by the tests of this package. */
final class TestClients {
  private TestClients() {}

  /** A client of {@code addresses} with a 5 s timeout and the defaults otherwise. */
  static KvClient client(String... addresses) {
    return KvClient.builder().addresses(addresses).timeout(Duration.ofSeconds(5)).build();
  }

  /**
   * A client whose random draws are all 0: among equally good nodes the first address wins, so
   * which node a call tries first is known. Probe interval long enough to outlast the test.
   */
  static KvClient.Builder firstChoice(String... addresses) {
    RandomGenerator zeros = () -> 0L;
    return KvClient.builder().addresses(addresses).timeout(Duration.ofSeconds(5)).random(zeros)
        .probeInterval(Duration.ofSeconds(30));
  }
}
