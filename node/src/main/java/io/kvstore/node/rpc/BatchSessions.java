package io.kvstore.node.rpc;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open request streams of a node (client Batch and peer ReplicaBatch), so a graceful
 * shutdown can end them: a long-lived stream never ends by itself, and the gRPC server's
 * shutdown waits for every call to end. Thread safe.
 */
public final class BatchSessions {
  private final Set<BatchSession<?, ?, ?, ?>> open = ConcurrentHashMap.newKeySet();

  void opened(BatchSession<?, ?, ?, ?> s) {
    open.add(s);
  }

  void ended(BatchSession<?, ?, ?, ?> s) {
    open.remove(s);
  }

  /**
   * Ends every open stream once the requests it has started are answered (as if its caller had
   * half-closed it). Requests its caller sends after that get no answer; the caller sees the
   * stream end and fails them as unanswered.
   */
  public void drainAll() {
    open.forEach(BatchSession::drain);
  }
}
