package io.kvstore.node.time;

import io.grpc.Deadline;

/**
 * The real clock. Stateless; its deadlines use gRPC's system ticker, so they compare with the
 * deadlines gRPC attaches to incoming calls.
 */
final class SystemClock implements Clock {
  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public long currentTimeMillis() {
    return System.currentTimeMillis();
  }

  @Override
  public Deadline.Ticker ticker() {
    return Deadline.getSystemTicker();
  }
}
