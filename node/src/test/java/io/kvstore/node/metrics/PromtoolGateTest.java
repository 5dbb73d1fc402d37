package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Without promtool the metrics tests are skipped, unless KV_REQUIRE_PROMTOOL=1 (CI), which makes
 * its absence a failure.
 */
class PromtoolGateTest {
  private static final String NOWHERE = "/nonexistent-kv-test-dir";

  @Test
  void aMissingPromtoolSkips() {
    assertThrows(TestAbortedException.class, () -> Promtool.require(Map.of("PATH", NOWHERE)));
  }

  @Test
  void aMissingPromtoolFailsWhenRequired() {
    assertThrows(AssertionFailedError.class, () -> Promtool.require(
        Map.of("PATH", NOWHERE, "KV_REQUIRE_PROMTOOL", "1")));
  }
}
