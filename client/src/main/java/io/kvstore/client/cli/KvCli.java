package io.kvstore.client.cli;

import io.kvstore.client.KvClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code kv} command: global options (--nodes, --timeout, --tls-ca, --tls-server-name,
 * --token-file, --verbose) and the subcommands
 * put, get, delete, status, repair and bench. The environment and stdin come through the constructor,
 * so tests run it in-process; only {@link #main} touches the real ones. One instance per
 * command line; not thread safe.
 */
@Command(name = "kv",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Command-line client of a kvstore cluster.",
    subcommands = {PutCommand.class, GetCommand.class, DeleteCommand.class, StatusCommand.class,
        RepairCommand.class, BenchCommand.class},
    footer = {"", "Exit codes: 0 ok; 1 not found / deleted; 2 bad command line; 3 unavailable"
        + " (no node reachable or quorum not reached; repair: an exchange failed or a node was"
        + " unreachable); 4 deadline exceeded; 5 invalid argument"
        + " (refused by the server); 6 too many siblings; 7 overloaded; 8 other error;"
        + " 9 not allowed (no valid token, or not an operator's)."})
public final class KvCli implements Runnable {
  static final String DEFAULT_NODES = "127.0.0.1:7001";

  @Spec
  CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "HOST:PORT[,HOST:PORT...]", scope = ScopeType.INHERIT,
      description = "Nodes to talk to; any node serves any request. Each call goes to a"
          + " responsive node (fewest requests in flight, then lowest latency); a read not"
          + " answered in time is also sent to another node; a node that does not answer gets"
          + " only health probes until it does. Default: $KV_NODES, else " + DEFAULT_NODES + ".")
  String nodes;

  @Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT,
      converter = DurationConverter.class, defaultValue = "5s",
      description = "Deadline of each request to a node, e.g. 500ms, 5s, 1m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--tls-ca", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Talk TLS to the nodes, trusting this PEM CA certificate (the cluster CA)."
          + " Default: $KV_TLS_CA, else plaintext.")
  Path tlsCa;

  @Option(names = "--tls-server-name", paramLabel = "NAME", scope = ScopeType.INHERIT,
      description = "The name the nodes' certificates must carry, when it is not the host in"
          + " --nodes (e.g. dialling an IP address).")
  String tlsServerName;

  @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Send the bearer token in FILE with every request (needs --tls-ca)."
          + " Default: $KV_TOKEN_FILE, else the token in $KV_TOKEN, else none.")
  Path tokenFile;

  @Option(names = "--verbose", scope = ScopeType.INHERIT,
      description = "Print stack traces of errors; repair: also a line per identical partition.")
  boolean verbose;

  private final Map<String, String> env;
  private final InputStream stdin;

  public KvCli(Map<String, String> env, InputStream stdin) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
  }

  public static void main(String[] args) {
    System.exit(newCommandLine(System.getenv(), System.in).execute(args));
  }

  /** A ready command line: error handlers installed, output to System.out / System.err. */
  public static CommandLine newCommandLine(Map<String, String> env, InputStream stdin) {
    CommandLine cmd = new CommandLine(new KvCli(env, stdin));
    CliErrors errors = new CliErrors();
    cmd.setParameterExceptionHandler(errors);
    cmd.setExecutionExceptionHandler(errors);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(),
        "missing command: one of put, get, delete, status, repair, bench");
  }

  /** The node addresses: --nodes, else $KV_NODES, else the default. */
  List<String> nodeList() {
    String text = nodes != null ? nodes : env.getOrDefault("KV_NODES", DEFAULT_NODES);
    return Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /** A client for the subcommand {@code sub}; bad --nodes is a usage error of {@code sub}. */
  KvClient client(CommandSpec sub) {
    return client(sub, nodeList(), 0, true, true);
  }

  /**
   * As {@link #client(CommandSpec)}; {@code batching} false sends unary RPCs, {@code tokenAware}
   * false sends requests to any node (KvClient.Builder#tokenAware).
   */
  KvClient client(CommandSpec sub, boolean batching, boolean tokenAware) {
    return client(sub, nodeList(), 0, batching, tokenAware);
  }

  /** A client of {@code addresses}; {@code maxAttempts} 0 = each address once. */
  KvClient client(CommandSpec sub, List<String> addresses, int maxAttempts) {
    return client(sub, addresses, maxAttempts, true, true);
  }

  private KvClient client(CommandSpec sub, List<String> addresses, int maxAttempts,
      boolean batching, boolean tokenAware) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new ParameterException(sub.commandLine(), "--timeout must be positive");
    }
    try {
      KvClient.Builder b = KvClient.builder().addresses(addresses).timeout(timeout)
          .batching(batching).tokenAware(tokenAware);
      security(sub, b);
      if (maxAttempts > 0) {
        b.maxAttempts(maxAttempts);
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(sub.commandLine(), "--nodes: " + e.getMessage());
    }
  }

  /** TLS and token from the options or the environment; a bad one is a usage error. */
  private void security(CommandSpec sub, KvClient.Builder b) {
    Path ca = tlsCa != null ? tlsCa
        : env.containsKey("KV_TLS_CA") ? Path.of(env.get("KV_TLS_CA")) : null;
    Path file = tokenFile != null ? tokenFile
        : env.containsKey("KV_TOKEN_FILE") ? Path.of(env.get("KV_TOKEN_FILE")) : null;
    String token = env.get("KV_TOKEN");
    if (file != null) {
      try {
        token = Files.readString(file).strip();
      } catch (IOException e) {
        throw new ParameterException(sub.commandLine(), "--token-file: cannot read " + file + ": "
            + e.getMessage());
      }
    }
    if (ca != null) {
      checkCa(sub, ca);
    }
    if (token != null && ca == null) {
      throw new ParameterException(sub.commandLine(), "a token needs TLS: give --tls-ca (or"
          + " $KV_TLS_CA); a bearer token must not travel in clear text");
    }
    try {
      b.tls(ca).tlsServerName(tlsServerName).token(token);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(sub.commandLine(), (file != null ? "--token-file " + file
          : "$KV_TOKEN") + ": " + e.getMessage());
    }
  }

  private static void checkCa(CommandSpec sub, Path ca) {
    try (InputStream in = Files.newInputStream(ca)) {
      if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
        throw new ParameterException(sub.commandLine(), "--tls-ca: " + ca
            + " holds no PEM certificate");
      }
    } catch (IOException e) {
      throw new ParameterException(sub.commandLine(), "--tls-ca: cannot read " + ca + ": "
          + e.getMessage());
    } catch (CertificateException e) {
      throw new ParameterException(sub.commandLine(), "--tls-ca: " + ca
          + " is not a PEM certificate: " + e.getMessage());
    }
  }

  /** Whether the client talks TLS (for error hints). */
  boolean tls() {
    return tlsCa != null || env.containsKey("KV_TLS_CA");
  }

  InputStream stdin() {
    return stdin;
  }

  boolean verbose() {
    return verbose;
  }
}
