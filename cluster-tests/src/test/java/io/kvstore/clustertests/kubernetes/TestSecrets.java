package io.kvstore.clustertests.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Secrets deploy/kubernetes/README.md tells an operator to create, made the same way: with
 * scripts/tls-certs.sh, a cluster CA, one node certificate for every pod (wildcard SAN of the
 * headless Service's zone), and a client and an operator token; kv-tls holds tls.crt, tls.key
 * and ca.crt (cert-manager's keys), kv-auth the tokens file. Immutable once made.
 *
 * @param secrets Secret name to its keys and contents, for {@link Manifests#pod}
 * @param dir where the files are (ca.crt for clients)
 * @param clientToken the client token's secret
 * @param operatorToken the operator token's secret
 */
public record TestSecrets(Map<String, Map<String, byte[]>> secrets, Path dir, String clientToken,
    String operatorToken) {
  /** The node certificate's SANs, as the README gives them. */
  public static final String SANS = "DNS:*.kv.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1";

  /** Makes the credentials in {@code dir} with scripts/tls-certs.sh. */
  public static TestSecrets make(Path repo, Path dir) {
    String script = repo.resolve("scripts/tls-certs.sh").toString();
    run(List.of(script, "ca", dir.toString()));
    run(List.of(script, "node", dir.toString(), "kv", SANS));
    run(List.of(script, "token", dir.toString(), "app", "client"));
    run(List.of(script, "token", dir.toString(), "ops", "operator"));
    Map<String, Map<String, byte[]>> secrets = Map.of(
        "kv-tls", Map.of("tls.crt", read(dir.resolve("kv.crt")),
            "tls.key", read(dir.resolve("kv.key")), "ca.crt", read(dir.resolve("ca.crt"))),
        "kv-auth", Map.of("tokens", read(dir.resolve("tokens"))));
    return new TestSecrets(secrets, dir, text(dir.resolve("app.token")),
        text(dir.resolve("ops.token")));
  }

  /** Secrets of the same names and keys with placeholder contents, for reading the manifests. */
  static Map<String, Map<String, byte[]>> placeholders() {
    byte[] x = "placeholder".getBytes(StandardCharsets.UTF_8);
    return Map.of("kv-tls", Map.of("tls.crt", x, "tls.key", x, "ca.crt", x),
        "kv-auth", Map.of("tokens", x));
  }

  private static void run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(Path file) {
    return new String(read(file), StandardCharsets.UTF_8).strip();
  }
}
