package io.kvstore.client.cli;

import io.kvstore.client.KvException;

/** The exit codes of {@code kv}, documented in client/README.md. Constants only. */
final class ExitCodes {
  static final int OK = 0;
  /** get: the key is missing or deleted; delete: nothing to delete. */
  static final int NOT_FOUND = 1;
  /** Bad command line: unknown option, bad value, unreadable --file. */
  static final int USAGE = 2;
  /** No node reachable, or the quorum was not reached; repair: an exchange failed. */
  static final int UNAVAILABLE = 3;
  static final int DEADLINE_EXCEEDED = 4;
  /** The server refused the request (bad key, value, context or quorum). */
  static final int INVALID_ARGUMENT = 5;
  /** Too many siblings: resolve them first. */
  static final int FAILED_PRECONDITION = 6;
  /** The node is overloaded. */
  static final int RESOURCE_EXHAUSTED = 7;
  /** Anything else (server bug, unexpected failure). */
  static final int OTHER = 8;
  /** No valid token, or its role does not allow the request. */
  static final int NOT_ALLOWED = 9;

  private ExitCodes() {}

  static int of(KvException e) {
    return switch (e.code()) {
      case UNAVAILABLE -> UNAVAILABLE;
      case DEADLINE_EXCEEDED -> DEADLINE_EXCEEDED;
      case INVALID_ARGUMENT -> INVALID_ARGUMENT;
      case FAILED_PRECONDITION -> FAILED_PRECONDITION;
      case RESOURCE_EXHAUSTED -> RESOURCE_EXHAUSTED;
      case UNAUTHENTICATED, PERMISSION_DENIED -> NOT_ALLOWED;
      case INTERNAL, OTHER -> OTHER;
    };
  }
}
