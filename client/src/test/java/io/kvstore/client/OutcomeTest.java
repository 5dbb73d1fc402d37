package io.kvstore.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Status;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * What an attempt's status says about the node: an UNAVAILABLE the node sent is an answer (it is
 * alive), a connection that closed under the call is not, so the client stops preferring a node
 * whose port a proxy still accepts after the node was killed.
 */
class OutcomeTest {
  @Test
  void anUnavailableTheNodeSentIsAnAnswerAClosedConnectionIsNot() {
    assertEquals(Outcome.UNAVAILABLE_ANSWER, Outcome.of(Status.UNAVAILABLE.withDescription(
        "quorum not reachable: 1 of 3 replicas are up")));
    assertEquals(Outcome.TIMEOUT, Outcome.of(Status.UNAVAILABLE.withDescription(
        "Network closed for unknown reason")));
    assertEquals(Outcome.TIMEOUT, Outcome.of(Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new IOException("Connection reset by peer"))));
    assertEquals(Outcome.TIMEOUT, Outcome.of(Status.DEADLINE_EXCEEDED));
    assertEquals(Outcome.SUCCESS, Outcome.of(null));
  }
}
