package io.kvstore.client.cli;

import io.kvstore.client.ReadOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The --r / --pr options of commands that read. */
final class ReadQuorum {
  @Option(names = "--r", paramLabel = "N",
      description = "Replicas that must answer (default: the cluster's R; at most N).")
  Integer r;

  @Option(names = "--pr", paramLabel = "N",
      description = "How many of those must be primary replicas (default: the cluster's PR).")
  Integer pr;

  ReadOptions options(CommandSpec spec) {
    return new ReadOptions(Args.quorum(spec, "--r", r), Args.quorum(spec, "--pr", pr));
  }
}
