package io.kvstore.node.rpc;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvstore.lsm.LsmException;
import io.kvstore.node.NodeError;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;

/**
 * Maps failures to gRPC statuses (DESIGN.md section 9) and back. Every status this node produces
 * carries the trailer {@code kv-origin: node}, which tells a peer that the request was processed
 * (so it must not be retried elsewhere) as opposed to a transport failure. Stateless.
 */
public final class Errors {
  static final Metadata.Key<String> ORIGIN =
      Metadata.Key.of("kv-origin", Metadata.ASCII_STRING_MARSHALLER);
  /**
   * Trailer {@code kv-not-applied: 1} on an error that certainly changed nothing (refused before
   * reading or writing): clients may retry it on another node, even a write (kvstore.proto).
   */
  static final Metadata.Key<String> NOT_APPLIED =
      Metadata.Key.of("kv-not-applied", Metadata.ASCII_STRING_MARSHALLER);

  private Errors() {}

  public static StatusRuntimeException toStatus(Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    Status status;
    if (e instanceof NodeError ne) {
      status = Status.fromCode(Status.Code.valueOf(ne.code().name())).withDescription(ne.getMessage());
    } else if (e instanceof StatusRuntimeException sre) {
      return sre;
    } else if (e instanceof LsmException le) {
      status = Status.UNAVAILABLE.withDescription("local storage failed: " + le.getMessage());
    } else {
      status = Status.INTERNAL.withDescription("bug: " + e).withCause(e);
    }
    Metadata trailers = new Metadata();
    trailers.put(ORIGIN, "node");
    if (e instanceof NodeError ne && ne.notApplied()) {
      trailers.put(NOT_APPLIED, "1");
    }
    return status.asRuntimeException(trailers);
  }

  /**
   * A peer's error answer inside a batch stream as the status its unary call would have failed
   * with: from the node ({@code kv-origin}), with its not-applied mark.
   */
  static StatusRuntimeException fromAnswer(io.kvstore.proto.RequestError e) {
    Metadata trailers = new Metadata();
    trailers.put(ORIGIN, "node");
    if (e.getNotApplied()) {
      trailers.put(NOT_APPLIED, "1");
    }
    return Status.fromCodeValue(e.getCode()).withDescription(e.getMessage())
        .asRuntimeException(trailers);
  }

  private static boolean neverSent(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException || c instanceof NoRouteToHostException
          || c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return true;
      }
    }
    return false;
  }

  /** The NodeError for a failed call to a peer. */
  public static NodeError fromPeer(String peer, Throwable t) {
    Throwable e = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (e instanceof NodeError ne) {
      return ne;
    }
    Status s = Status.fromThrowable(e);
    Metadata trailers = Status.trailersFromThrowable(e);
    boolean processed = trailers != null && "node".equals(trailers.get(ORIGIN));
    String msg = peer + ": " + s.getCode() + (s.getDescription() == null ? "" : " " + s.getDescription());
    if (!processed && s.getCode() == Status.Code.UNAVAILABLE) {
      // Only a failed connect proves the request was never sent: a connection that closed or
      // reset under it ("Network closed") may have delivered it first.
      return neverSent(e) ? NodeError.notReached(msg) : NodeError.transportFailure(msg);
    }
    if (trailers != null && "1".equals(trailers.get(NOT_APPLIED))
        && s.getCode() == Status.Code.UNAVAILABLE) {
      return NodeError.unavailableNothingDone(msg);
    }
    NodeError.Code code;
    try {
      code = NodeError.Code.valueOf(s.getCode().name());
    } catch (IllegalArgumentException unknown) {
      code = NodeError.Code.UNAVAILABLE;
    }
    return new NodeError(code, msg);
  }
}
