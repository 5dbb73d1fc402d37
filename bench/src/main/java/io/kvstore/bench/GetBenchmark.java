package io.kvstore.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmarks 2 and 3: single-thread point lookups over the {@link LoadedStore} (1M keys in one
 * level, ~116 MB of data against a 64 MiB block cache). {@link #getPresent} looks up a random
 * stored key (bloom filter, index, one data block, copy of the value); {@link #getMissing} a
 * random never-stored key, which the bloom filter should answer without reading a block. Both
 * verify the answer, so a broken engine cannot look fast.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class GetBenchmark {
  @Benchmark
  public byte[] getPresent(LoadedStore s, ReaderRandom r) {
    byte[] v = s.store.get(KeySpace.PRESENT.key(r.random.nextInt(s.keys)));
    if (v == null || v.length != KeySpace.VALUE_BYTES) {
      throw new IllegalStateException("a stored key was not found");
    }
    return v;
  }

  @Benchmark
  public byte[] getMissing(LoadedStore s, ReaderRandom r) {
    byte[] v = s.store.get(KeySpace.MISSING.key(r.random.nextInt(s.keys)));
    if (v != null) {
      throw new IllegalStateException("a never-stored key was found");
    }
    return v;
  }
}
