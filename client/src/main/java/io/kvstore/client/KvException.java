package io.kvstore.client;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;

/**
 * A failed call of {@link KvClient}: the gRPC status code and message of the last attempt, the
 * node it came from, and whether no node could be reached at all. Unchecked.
 *
 * <p>What a code means for a write (see kvstore.proto): after INVALID_ARGUMENT,
 * RESOURCE_EXHAUSTED, FAILED_PRECONDITION, UNAUTHENTICATED or PERMISSION_DENIED nothing was
 * written; after UNAVAILABLE (quorum not
 * reached) or DEADLINE_EXCEEDED the write may or may not have been stored. When
 * {@link #unreachable()} is true no node received the request.
 *
 * <p>Immutable, hence thread safe.
 */
public class KvException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The status codes a client is expected to handle; anything else is OTHER. */
  public enum Code {
    /** Quorum not reached, or no node reachable (see {@link #unreachable()}). */
    UNAVAILABLE,
    /** Bad key, value, context or quorum override; nothing was written. */
    INVALID_ARGUMENT,
    /** The deadline expired; a write may or may not have been stored. */
    DEADLINE_EXCEEDED,
    /** Too many siblings: read, resolve and write back with the context. */
    FAILED_PRECONDITION,
    /** The node is overloaded; retry later with backoff. */
    RESOURCE_EXHAUSTED,
    /** No valid credentials (the node wants a token: {@link KvClient.Builder#token}); nothing done. */
    UNAUTHENTICATED,
    /** The credentials' role does not cover the request (e.g. not an operator); nothing done. */
    PERMISSION_DENIED,
    /** A server bug. */
    INTERNAL,
    /** Any other status (CANCELLED on interrupt, UNKNOWN, ...): see {@link #grpcCode()}. */
    OTHER
  }

  private final Code code;
  private final Status.Code grpcCode;
  private final String description;
  private final String address;
  private final boolean unreachable;

  protected KvException(String message, Status status, String address, boolean unreachable) {
    super(message, status.getCause());
    this.grpcCode = status.getCode();
    this.code = codeOf(status.getCode());
    this.description = status.getDescription() == null ? "" : status.getDescription();
    this.address = address;
    this.unreachable = unreachable;
  }

  /** The failure of one node's answer (or of the attempt to reach it). */
  static KvException answered(StatusRuntimeException e, String address) {
    Status s = e.getStatus();
    return new KvException(describe(s) + " (node " + address + ")", s, address, false);
  }

  /** No attempted node could be reached; {@code last} is the last connection failure. */
  static KvException unreachable(List<String> attempted, StatusRuntimeException last) {
    String which = String.join(",", attempted.stream().distinct().toList());
    return new KvException("cannot reach any node of " + which + " (" + describe(last.getStatus())
        + ")", last.getStatus(), attempted.get(attempted.size() - 1), true);
  }

  /** Our code for the status. */
  public Code code() {
    return code;
  }

  /** The gRPC status code as received. */
  public Status.Code grpcCode() {
    return grpcCode;
  }

  /** The status message (from the server, or from the transport), possibly empty. */
  public String description() {
    return description;
  }

  /** The node ("host:port") of the last attempt. */
  public String address() {
    return address;
  }

  /** True when no attempted node could be reached, so none of them received the request. */
  public boolean unreachable() {
    return unreachable;
  }

  private static String describe(Status s) {
    StringBuilder b = new StringBuilder(s.getCode().name());
    if (s.getDescription() != null) {
      b.append(": ").append(s.getDescription());
    }
    if (s.getCause() != null && s.getCause().getMessage() != null) {
      b.append(": ").append(s.getCause().getMessage());
    }
    if (closedWithoutAnswer(s)) {
      b.append(" (the node closed the connection without answering: a node that requires TLS"
          + " does so to a plaintext client)");
    }
    return b.toString();
  }

  /**
   * Whether {@code s} is a connection the node closed or reset without any answer (grpc-java's
   * "Network closed for unknown reason", or a reset connection): what a node that requires TLS
   * does to a plaintext client, and what a node that dies under a call looks like.
   */
  static boolean closedWithoutAnswer(Status s) {
    return closedWithoutAnswer(s.getCode(), s.getDescription(), s.getCause());
  }

  /** Whether the node closed the connection without answering (see {@link #description()}). */
  public boolean closedWithoutAnswer() {
    return closedWithoutAnswer(grpcCode, description, getCause());
  }

  private static boolean closedWithoutAnswer(Status.Code code, String description,
      Throwable cause) {
    if (code != Status.Code.UNAVAILABLE) {
      return false;
    }
    if (cause == null) {
      return description != null && description.startsWith("Network closed");
    }
    return cause.getMessage() != null && cause.getMessage().contains("Connection reset by peer");
  }

  private static Code codeOf(Status.Code c) {
    return switch (c) {
      case UNAVAILABLE -> Code.UNAVAILABLE;
      case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
      case DEADLINE_EXCEEDED -> Code.DEADLINE_EXCEEDED;
      case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
      case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
      case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
      case INTERNAL -> Code.INTERNAL;
      default -> Code.OTHER;
    };
  }
}
