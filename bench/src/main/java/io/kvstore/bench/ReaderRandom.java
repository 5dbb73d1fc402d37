package io.kvstore.bench;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.ThreadParams;

/** Per-thread JMH state of the read benchmarks: a random source seeded by the thread index. */
@State(Scope.Thread)
public class ReaderRandom {
  SplittableRandom random;

  @Setup
  public void setup(ThreadParams thread) {
    random = new SplittableRandom(0x5EED_2000L + thread.getThreadIndex());
  }
}
