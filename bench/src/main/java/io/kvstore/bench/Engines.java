package io.kvstore.bench;

import java.nio.file.Path;
import java.util.List;

/** Opens an {@link Engine} by its benchmark parameter name. Stateless. */
public final class Engines {
  public static final String OURS = "ours";
  public static final String ROCKSDB = "rocksdb";
  public static final List<String> ALL = List.of(OURS, ROCKSDB);

  private Engines() {}

  public static Engine open(String name, Path dir, EngineSettings settings) {
    return switch (name) {
      case OURS -> new OurEngine(dir, settings);
      case ROCKSDB -> new RocksDbEngine(dir, settings);
      default -> throw new IllegalArgumentException(
          "unknown engine '" + name + "': expected one of " + ALL);
    };
  }
}
