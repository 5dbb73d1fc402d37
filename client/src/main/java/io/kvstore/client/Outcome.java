package io.kvstore.client;

import io.grpc.Status;

/**
 * How one attempt to a node ended, as far as that node's health is concerned. The first three
 * are answers (the node is alive); TIMEOUT and UNREACHABLE make it suspect; LATE counts towards
 * that; CANCELLED says nothing about the node. Stateless.
 */
enum Outcome {
  /** Answered with a result. */
  SUCCESS,
  /** Answered UNAVAILABLE (quorum not reached): alive, but could not serve. */
  UNAVAILABLE_ANSWER,
  /** Answered with another error status (bad argument, overload, ...). */
  OTHER_ANSWER,
  /**
   * No answer before the deadline, or the call failed with the request sent (connection lost,
   * call dropped by the node).
   */
  TIMEOUT,
  /** The node could not be reached: the request never left the client. */
  UNREACHABLE,
  /** Abandoned unanswered after waiting at least the hedge delay, another node having answered. */
  LATE,
  /** Abandoned by the client early (another node answered first, or the caller gave up). */
  CANCELLED;

  /** The outcome of a finished call: {@code null} status = success. */
  static Outcome of(Status status) {
    if (status == null) {
      return SUCCESS;
    }
    if (Unreachable.test(status)) {
      return UNREACHABLE;
    }
    return switch (status.getCode()) {
      case OK -> SUCCESS;
      case DEADLINE_EXCEEDED -> TIMEOUT;
      // A status the server sent never has a cause; a local transport failure may, or names a
      // closed connection (what a killed node's port, still accepted by a proxy, looks like).
      case UNAVAILABLE -> status.getCause() != null || KvException.closedWithoutAnswer(status)
          ? TIMEOUT
          : UNAVAILABLE_ANSWER;
      // Cancelled, but not by this client (its own cancellations are recorded before): the
      // node or the connection dropped the call.
      case CANCELLED -> TIMEOUT;
      default -> OTHER_ANSWER;
    };
  }

  /** True when the node answered (it is alive). */
  boolean answered() {
    return this == SUCCESS || this == UNAVAILABLE_ANSWER || this == OTHER_ANSWER;
  }
}
