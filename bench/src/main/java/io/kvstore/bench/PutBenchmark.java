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
 * Benchmark 1: random puts of new 16-byte keys with 100-byte values from one thread, commit log
 * on but not synced (ours: sync {@code none}; RocksDB: WAL on, {@code sync=false}). The store
 * starts empty and grows for the whole trial, so flushes, compactions and any write stalls are
 * part of the measured throughput.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(1)
public class PutBenchmark {
  @Param({Engines.OURS, Engines.ROCKSDB})
  public String engine;

  private WriteStore store;

  @Setup
  public void open() {
    store = new WriteStore(engine, EngineSettings.Sync.NONE, "put");
  }

  @TearDown
  public void close() {
    store.close();
  }

  @Benchmark
  public void randomPut(WriterCursor cursor) {
    cursor.putNext(store.engine);
  }
}
