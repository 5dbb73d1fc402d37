package io.kvstore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where benchmark data lives: fresh directories under a root (default {@code java.io.tmpdir}/kvstore-bench,
 * overridable with {@code -Dkvstore.bench.dir=...} on the benchmark JVM, the one place a setting
 * comes from a system property because JMH creates the benchmark objects), deleted after use.
 * Stateless.
 */
public final class BenchDirs {
  public static final String ROOT_PROPERTY = "kvstore.bench.dir";
  public static final String DEFAULT_ROOT =
      Paths.get(System.getProperty("java.io.tmpdir"), "kvstore-bench").toString();

  private BenchDirs() {}

  public static Path root() {
    return Paths.get(System.getProperty(ROOT_PROPERTY, DEFAULT_ROOT));
  }

  /** A new, empty directory under {@code root} named after {@code label}. */
  public static Path fresh(Path root, String label) {
    try {
      Files.createDirectories(root);
      return Files.createTempDirectory(root, label + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory under " + root, e);
    }
  }

  /** Deletes {@code dir} and everything in it; a missing directory is fine. */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
