package io.kvstore.client.cli;

import io.kvstore.client.KvClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kv bench}: a closed-loop load generator with latency percentiles. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {
        "Generates load: --concurrency threads, each with one request in flight, read or write"
            + " keys chosen uniformly from --keys keys. Prints a progress line once per second,"
            + " then throughput, latency percentiles in microseconds (p50, p95, p99, p99.9, max;"
            + " HdrHistogram) for reads, writes and all operations, and errors by status code.",
        "Writes carry the context of the last read or write of that key seen by the bench,"
            + " else none (a blind write); so they supersede what the bench last saw instead of"
            + " piling up siblings. The warm-up is not measured."},
    footer = {"", "Examples:",
        "  kv bench --duration 30s --concurrency 16 --read-ratio 0.95",
        "  kv bench --keys 100000 --value-size 1024 --preload --warmup 5s"})
final class BenchCommand implements Callable<Integer> {
  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Option(names = "--keys", paramLabel = "COUNT", defaultValue = "1000",
      description = "Distinct keys (default: ${DEFAULT-VALUE}).")
  int keys;

  @Option(names = "--value-size", paramLabel = "BYTES", defaultValue = "100",
      description = "Bytes per written value (default: ${DEFAULT-VALUE}).")
  int valueSize;

  @Option(names = "--read-ratio", paramLabel = "RATIO", defaultValue = "0.5",
      description = "Fraction of reads, 0..1, e.g. 0.95 (default: ${DEFAULT-VALUE}).")
  double readRatio;

  @Option(names = "--concurrency", paramLabel = "THREADS", defaultValue = "8",
      description = "Worker threads (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s",
      converter = DurationConverter.class,
      description = "Length of the measured run, e.g. 30s, 2m (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "0s",
      converter = DurationConverter.class,
      description = "Load before measuring, not recorded (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--preload",
      description = "Write every key once (read, then write with its context) before starting.")
  boolean preload;

  @Option(names = "--key-prefix", paramLabel = "PREFIX", defaultValue = "bench:",
      description = "Keys are PREFIX followed by 0..COUNT-1 (default: ${DEFAULT-VALUE}).")
  String keyPrefix;

  @Option(names = "--seed", paramLabel = "SEED",
      description = "Seed of the random key and operation choices (default: random, printed).")
  Long seed;

  @Option(names = "--unary",
      description = "Send each request as its own unary RPC instead of over one batch stream per"
          + " node (to compare the two).")
  boolean unary;

  @Option(names = "--no-token-aware",
      description = "Send each request to any node instead of a replica of its key (to compare:"
          + " a node that is not a replica forwards a write and reads the replicas remotely).")
  boolean noTokenAware;

  @Override
  public Integer call() throws InterruptedException {
    BenchConfig cfg = config();
    PrintWriter out = spec.commandLine().getOut();
    try (KvClient client = kv.client(spec, !unary, !noTokenAware)) {
      client.status(); // fail fast, with the usual message, if no node answers
      out.printf("bench: %d keys, %d-byte values, read ratio %.2f, %d threads, %s run,"
              + " %s warm-up, seed %d, %s, %s, nodes %s%n", cfg.keys(), cfg.valueSize(),
          cfg.readRatio(), cfg.concurrency(), text(cfg.duration()), text(cfg.warmup()), cfg.seed(),
          unary ? "unary RPCs" : "batch streams",
          noTokenAware ? "any node" : "token-aware", String.join(",", client.addresses()));
      out.flush();
      LoadGenerator.BenchResult result = new LoadGenerator(client, cfg, out).run();
      BenchReport.print(out, cfg, result);
    }
    return ExitCodes.OK;
  }

  private BenchConfig config() {
    if (keys < 1) {
      throw Args.usage(spec, "--keys must be at least 1 (got " + keys + ")");
    }
    if (valueSize < 0 || valueSize > 1 << 20) {
      throw Args.usage(spec, "--value-size must be between 0 and 1048576 (got " + valueSize + ")");
    }
    if (!(readRatio >= 0 && readRatio <= 1)) {
      throw Args.usage(spec, "--read-ratio must be between 0 and 1 (got " + readRatio + ")");
    }
    if (concurrency < 1 || concurrency > 4096) {
      throw Args.usage(spec, "--concurrency must be between 1 and 4096 (got " + concurrency + ")");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw Args.usage(spec, "--duration must be positive");
    }
    if (warmup.isNegative()) {
      throw Args.usage(spec, "--warmup must not be negative");
    }
    long s = seed != null ? seed : ThreadLocalRandom.current().nextLong();
    return new BenchConfig(keys, valueSize, readRatio, concurrency, duration, warmup, preload,
        keyPrefix, s);
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
