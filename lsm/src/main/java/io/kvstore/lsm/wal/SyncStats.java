package io.kvstore.lsm.wal;

import java.util.concurrent.atomic.LongAdder;

/**
 * The fsyncs of a store's commit log and the time they took, over every segment it writes: one
 * instance per store, shared by its {@link LogWriter}s. Each fsync a writer issues counts, whether
 * it succeeded or failed (a failure is also the store's sticky error), with the first sync of a
 * segment including its directory's fsync; a sync with nothing new to make durable issues none
 * and does not count. Time is read from the writer's Env.
 *
 * <p>Thread safe (LongAdder); the two sums are not read atomically together.
 */
public final class SyncStats {
  private final LongAdder syncs = new LongAdder();
  private final LongAdder nanos = new LongAdder();

  /** fsyncs issued. */
  public long syncs() {
    return syncs.sum();
  }

  /** Total time spent in them, in nanoseconds. */
  public long nanos() {
    return nanos.sum();
  }

  void record(long elapsedNanos) {
    syncs.increment();
    nanos.add(elapsedNanos);
  }
}
