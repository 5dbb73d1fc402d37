package io.kvstore.node;

/**
 * A request failure with the status a client sees (DESIGN.md section 9), independent of the
 * transport: the gRPC layer maps {@link Code} one-to-one to io.grpc.Status codes.
 */
public final class NodeError extends RuntimeException {
  /** The failure classes of the wire API. */
  public enum Code {
    INVALID_ARGUMENT,
    UNAVAILABLE,
    DEADLINE_EXCEEDED,
    RESOURCE_EXHAUSTED,
    FAILED_PRECONDITION,
    INTERNAL
  }

  private final Code code;
  private final boolean unreachable;
  private final boolean notApplied;
  private final boolean transport;

  public NodeError(Code code, String message) {
    this(code, message, false, false);
  }

  private NodeError(Code code, String message, boolean unreachable, boolean notApplied) {
    this(code, message, unreachable, notApplied, false);
  }

  private NodeError(Code code, String message, boolean unreachable, boolean notApplied,
      boolean transport) {
    super(message, null, false, false);
    this.code = code;
    this.unreachable = unreachable;
    this.notApplied = notApplied;
    this.transport = transport;
  }

  /** A request that never reached its target (connection refused, no route): safe to retry. */
  public static NodeError notReached(String message) {
    return new NodeError(Code.UNAVAILABLE, message, true, true);
  }

  /**
   * UNAVAILABLE refused before anything was read or written (too few replicas up): a client may
   * send the same request to another node without risk of applying it twice.
   */
  public static NodeError unavailableNothingDone(String message) {
    return new NodeError(Code.UNAVAILABLE, message, false, true);
  }

  /**
   * A call to a peer that failed in the transport after it may have been sent (the connection
   * closed or reset while the request was in flight): the peer may have processed it, so only an
   * idempotent request may be sent again.
   */
  public static NodeError transportFailure(String message) {
    return new NodeError(Code.UNAVAILABLE, message, false, false, true);
  }

  /** True if the call failed in the transport (see {@link #transportFailure}) or never arrived. */
  public boolean transport() {
    return transport || unreachable;
  }

  /** True if the request certainly was not processed by its target. */
  public boolean unreachable() {
    return unreachable;
  }

  /** True if the request certainly changed nothing (refused up front, or never arrived). */
  public boolean notApplied() {
    return notApplied;
  }

  public Code code() {
    return code;
  }

  public static NodeError invalid(String message) {
    return new NodeError(Code.INVALID_ARGUMENT, message);
  }

  public static NodeError unavailable(String message) {
    return new NodeError(Code.UNAVAILABLE, message);
  }

  public static NodeError deadline(String message) {
    return new NodeError(Code.DEADLINE_EXCEEDED, message);
  }

  public static NodeError failedPrecondition(String message) {
    return new NodeError(Code.FAILED_PRECONDITION, message);
  }

  public static NodeError exhausted(String message) {
    return new NodeError(Code.RESOURCE_EXHAUSTED, message);
  }

  public static NodeError internal(String message) {
    return new NodeError(Code.INTERNAL, message);
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
