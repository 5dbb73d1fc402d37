package io.kvstore.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.kvstore.node.NodeError;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/**
 * How a failed call to a peer is classified, which decides whether a write may be sent to another
 * replica: only a request that was certainly never sent (a failed connect) counts as not applied;
 * a connection that broke under a request may have delivered it (found by the fault suite: a
 * forwarded write retried elsewhere after "Network closed" was applied twice, under two dots).
 */
class ErrorsTest {
  @Test
  void aFailedConnectWasNeverSent() {
    NodeError e = Errors.fromPeer("n2", Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new ConnectException("Connection refused")).asRuntimeException());
    assertTrue(e.unreachable());
    assertTrue(e.notApplied());
    assertTrue(e.transport());
  }

  @Test
  void aConnectionThatClosedUnderTheRequestMayHaveDeliveredIt() {
    NodeError e = Errors.fromPeer("n2", Status.UNAVAILABLE
        .withDescription("Network closed for unknown reason").asRuntimeException());
    assertEquals(NodeError.Code.UNAVAILABLE, e.code());
    assertFalse(e.notApplied(), "must not be retried on another replica");
    assertFalse(e.unreachable());
    assertTrue(e.transport(), "an idempotent call may be sent again");
  }

  @Test
  void anAnswerFromThePeerIsNeitherUnreachableNorATransportFailure() {
    NodeError e = Errors.fromPeer("n2", Errors.toStatus(NodeError.unavailable("quorum not "
        + "reached")));
    assertFalse(e.transport());
    assertFalse(e.notApplied());

    Metadata refused = new Metadata();
    refused.put(Errors.ORIGIN, "node");
    refused.put(Errors.NOT_APPLIED, "1");
    NodeError up = Errors.fromPeer("n2", Status.UNAVAILABLE.withDescription("too few up")
        .asRuntimeException(refused));
    assertTrue(up.notApplied(), "refused up front: safe to send elsewhere");
    assertFalse(up.transport());
  }
}
