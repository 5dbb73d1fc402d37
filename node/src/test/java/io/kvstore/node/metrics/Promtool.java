package io.kvstore.node.metrics;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code promtool} (Debian's prometheus package) from tests. Without it a test is
 * skipped with a message saying how to install it, unless {@code KV_REQUIRE_PROMTOOL=1} (set by
 * CI), which turns the skip into a failure.
 */
public final class Promtool {
  /** What promtool printed (stdout and stderr) and its exit code. */
  public record Result(int exit, String output) {}

  private final Path binary;

  private Promtool(Path binary) {
    this.binary = binary;
  }

  /** The promtool on the PATH; see the class comment for when it is missing. */
  public static Promtool require() {
    return require(System.getenv());
  }

  /** As {@link #require()}, in the environment {@code env} (PATH, KV_REQUIRE_PROMTOOL). */
  static Promtool require(Map<String, String> env) {
    Optional<Path> found = find(env.get("PATH"));
    String how = "promtool is not on the PATH: install Debian's prometheus package (apt-get install"
        + " -y --no-install-recommends prometheus) and rerun";
    if ("1".equals(env.get("KV_REQUIRE_PROMTOOL"))) {
      if (found.isEmpty()) {
        fail("KV_REQUIRE_PROMTOOL=1 but " + how);
      }
    } else {
      assumeTrue(found.isPresent(), how);
    }
    return new Promtool(found.orElseThrow());
  }

  private static Optional<Path> find(String path) {
    for (String dir : (path == null ? "" : path).split(File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** {@code promtool <args>} with {@code stdin} on its standard input. */
  public Result run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("promtool " + args[0] + " did not finish within 60 s");
    }
    return new Result(p.exitValue(), out);
  }
}
