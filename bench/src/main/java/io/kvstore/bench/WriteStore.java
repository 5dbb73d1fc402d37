package io.kvstore.bench;

import java.nio.file.Path;

/**
 * An engine opened on an empty directory for a write benchmark, deleted afterwards. Not a JMH
 * state itself: the benchmark classes own one per trial and choose its sync mode. Not thread safe
 * (open and close from one thread; the engine itself is shared).
 */
final class WriteStore implements AutoCloseable {
  final Engine engine;
  private final Path dir;

  WriteStore(String engineName, EngineSettings.Sync sync, String label) {
    this.dir = BenchDirs.fresh(BenchDirs.root(), label + "-" + engineName);
    this.engine = Engines.open(engineName, dir, EngineSettings.standard(sync));
  }

  @Override
  public void close() {
    try {
      engine.close();
    } finally {
      BenchDirs.delete(dir);
    }
  }
}
