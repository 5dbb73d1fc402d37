package io.kvstore.clustertests.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** $(VAR) expansion as the kubelet does it (Kubernetes' expansion package's own cases). */
class KubeletExpansionTest {
  private static final Map<String, String> VARS = Map.of("POD_NAME", "kv-1", "EMPTY", "");

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "$(POD_NAME)|kv-1",
      "$(POD_NAME).kv.default.svc.cluster.local:7000|kv-1.kv.default.svc.cluster.local:7000",
      "--node-id=$(POD_NAME)$(POD_NAME)|--node-id=kv-1kv-1",
      "$(UNDEFINED)|$(UNDEFINED)",
      "$$(POD_NAME)|$(POD_NAME)",
      "$$$(POD_NAME)|$kv-1",
      "x$(EMPTY)y|xy",
      "$(POD_NAME|$(POD_NAME",
      "$POD_NAME|$POD_NAME",
      "cost: 5$|cost: 5$",
      "no refs|no refs",
  })
  void expandsLikeTheKubelet(String input, String expected) {
    assertEquals(expected, KubeletExpansion.expand(input, VARS));
  }
}
