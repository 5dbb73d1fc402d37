package io.kvstore.node.rpc;

import io.grpc.Status;

/** Where the services report requests served inside a stream (batched), one by one. */
@FunctionalInterface
public interface RequestMetrics {
  /**
   * One request of {@code method} (its unary method's full name, e.g. kvstore.v1.KvStore/Get)
   * ended with {@code code} after {@code nanos}.
   */
  void served(String method, Status.Code code, long nanos);

  /**
   * A Batch stream message arrived with {@code requests} requests ({@code inbound}), or one was
   * sent with {@code requests} answers.
   */
  default void batchMessage(boolean inbound, int requests) {}

  RequestMetrics NONE = (method, code, nanos) -> { };
}
