package io.kvstore.client.cli;

import io.kvstore.client.WriteOptions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The --w / --pw options of commands that write. */
final class WriteQuorum {
  @Option(names = "--w", paramLabel = "N",
      description = "Replicas that must durably acknowledge (default: the cluster's W; at most N).")
  Integer w;

  @Option(names = "--pw", paramLabel = "N",
      description = "How many of those must be primary replicas; --pw equal to --w is a strict"
          + " quorum (default: the cluster's PW).")
  Integer pw;

  WriteOptions options(CommandSpec spec) {
    return new WriteOptions(Args.quorum(spec, "--w", w), Args.quorum(spec, "--pw", pw));
  }
}
