package io.kvstore.bench;

import java.nio.file.Path;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH state of the read benchmarks: an engine preloaded (once per trial) with {@link #keys}
 * random keys of {@link KeySpace#PRESENT}, then flushed and compacted into one level, so reads see
 * the same steady state in both engines. Shared by all threads of a trial; deleted afterwards.
 */
@State(Scope.Benchmark)
public class LoadedStore {
  @Param({Engines.OURS, Engines.ROCKSDB})
  public String engine;

  @Param({"1000000"})
  public int keys;

  Engine store;
  private Path dir;

  @Setup(Level.Trial)
  public void load() {
    dir = BenchDirs.fresh(BenchDirs.root(), "read-" + engine);
    store = Engines.open(engine, dir, EngineSettings.standard(EngineSettings.Sync.NONE));
    for (int i = 0; i < keys; i++) {
      store.put(KeySpace.PRESENT.key(i), KeySpace.value(i));
    }
    store.settle();
    System.err.println("[" + engine + "] loaded " + keys + " keys: " + store.shape());
  }

  @TearDown(Level.Trial)
  public void close() {
    try {
      store.close();
    } finally {
      BenchDirs.delete(dir);
    }
  }
}
