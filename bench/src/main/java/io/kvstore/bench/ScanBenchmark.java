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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Benchmark 4: a range scan of 10,000 consecutive entries from a random start key over the
 * {@link LoadedStore}, handing every key and value to the Blackhole. Score: scans per second
 * (multiply by 10,000 for entries per second). Start keys are drawn from the lowest 98% of the key
 * space, so with 1M uniform keys at least 10,000 entries always follow (checked).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class ScanBenchmark {
  public static final int SCAN_LENGTH = 10_000;
  private static final long START_PREFIX_BOUND = Long.divideUnsigned(-1L, 100) * 98;

  @Benchmark
  public int scan10k(LoadedStore s, ReaderRandom r, Blackhole bh) {
    long prefix = Long.remainderUnsigned(r.random.nextLong(), START_PREFIX_BOUND);
    byte[] from = KeySpace.keyWithPrefix(prefix, r.random.nextLong());
    int n = s.store.scan(from, SCAN_LENGTH, (k, v) -> {
      bh.consume(k);
      bh.consume(v);
    });
    if (n != SCAN_LENGTH) {
      throw new IllegalStateException("scan returned " + n + " entries, wanted " + SCAN_LENGTH);
    }
    return n;
  }
}
