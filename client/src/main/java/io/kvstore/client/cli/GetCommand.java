package io.kvstore.client.cli;

import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kv get}: prints the siblings of a key and its context. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {
        "Reads a key and prints each of its values ('value: ...' lines; several values are"
            + " siblings written concurrently) and its causal context ('context: ...'), to pass"
            + " to kv put / kv delete --context.",
        "A missing key prints 'not found', a deleted one 'deleted' and its context; both exit"
            + " with code 1."},
    footer = {"", "Examples:",
        "  kv get user:1",
        "  kv get user:1 --r 3 --format hex"})
final class GetCommand implements Callable<Integer> {
  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text, 1..1024 bytes).")
  String key;

  @Mixin
  ReadQuorum quorum;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto",
      description = "How values are shown: auto (text when printable UTF-8, else hex: and the"
          + " hex digits), text, hex or base64 (default: ${DEFAULT-VALUE}).")
  ValueFormat format;

  @Override
  public Integer call() {
    byte[] keyBytes = Args.key(spec, key);
    var options = quorum.options(spec);
    GetResult r;
    try (KvClient client = kv.client(spec)) {
      r = client.get(keyBytes, options);
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (!r.found()) {
        out.println(r.deleted() ? "deleted" : "not found");
        if (!r.context().isEmpty()) {
          out.println("context: " + r.context().toBase64());
        }
        return ExitCodes.NOT_FOUND;
      }
      if (r.siblings().size() > 1) {
        out.println("siblings: " + r.siblings().size());
      }
      for (byte[] value : r.siblings()) {
        out.println("value: " + format.format(value));
      }
      out.println("context: " + r.context().toBase64());
      return ExitCodes.OK;
    } finally {
      out.flush();
    }
  }
}
