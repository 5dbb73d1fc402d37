package io.kvstore.client;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Tells a node that could not be reached (the request never left the client) from a node that
 * answered UNAVAILABLE (for example quorum not reached, after which a write may have been
 * stored). A status from the server never carries a cause (causes do not cross the wire), so
 * only a local transport failure can have a connection-level exception in its cause chain.
 * Stateless.
 */
final class Unreachable {
  private Unreachable() {}

  static boolean test(Status status) {
    if (status.getCode() != Status.Code.UNAVAILABLE) {
      return false;
    }
    for (Throwable t = status.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof NoRouteToHostException
          || t instanceof UnknownHostException
          || t instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }
}
