package io.kvstore.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Per-thread JMH state of the write benchmarks: the thread's own key space (disjoint from other
 * threads') and the index of its next key, so every put inserts a new random key. One per thread.
 */
@State(Scope.Thread)
public class WriterCursor {
  private KeySpace keys;
  private long next;

  @Setup
  public void setup(ThreadParams thread) {
    keys = KeySpace.forWriter(thread.getThreadIndex());
    next = 0;
  }

  /** Puts the next new key with its value. */
  public void putNext(Engine engine) {
    long i = next++;
    engine.put(keys.key(i), KeySpace.value(i));
  }
}
