package io.kvstore.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Benchmark 5: random puts from 8 threads, each durable when it returns (ours: sync {@code group};
 * RocksDB: {@code sync=true}). Both engines batch concurrent writers into one log write and one
 * fsync (group commit), so this measures how well that batching amortizes fsync latency. The score
 * is the total over all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(8)
public class GroupCommitPutBenchmark {
  @Param({Engines.OURS, Engines.ROCKSDB})
  public String engine;

  private WriteStore store;

  @Setup
  public void open() {
    store = new WriteStore(engine, EngineSettings.Sync.GROUP, "groupput");
  }

  @TearDown
  public void close() {
    store.close();
  }

  @Benchmark
  public void syncedPut8Threads(WriterCursor cursor) {
    cursor.putNext(store.engine);
  }
}
