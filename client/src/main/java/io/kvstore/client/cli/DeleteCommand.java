package io.kvstore.client.cli;

import io.kvstore.client.Context;
import io.kvstore.client.DeleteResult;
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

/** {@code kv delete}: writes a tombstone with a context (read first unless given). */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {
        "Deletes a key: writes a tombstone that supersedes the values its context covers.",
        "Without --context, kv first reads the key (default quorum) and deletes with the"
            + " context of that read: the values that read saw are deleted, values written"
            + " concurrently survive as siblings. A missing key prints 'not found' and exits"
            + " with code 1 without writing anything.",
        "With --context, no read is made and the delete supersedes exactly that context."},
    footer = {"", "Examples:",
        "  kv delete user:1",
        "  kv delete user:1 --context AQIDBA --w 3"})
final class DeleteCommand implements Callable<Integer> {
  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text, 1..1024 bytes).")
  String key;

  @Option(names = "--context", paramLabel = "CONTEXT", converter = ContextConverter.class,
      description = "The context from kv get; default: read the key first and use its context.")
  Context context;

  @Mixin
  WriteQuorum quorum;

  @Override
  public Integer call() {
    byte[] keyBytes = Args.key(spec, key);
    var options = quorum.options(spec);
    PrintWriter out = spec.commandLine().getOut();
    try (KvClient client = kv.client(spec)) {
      Context ctx = context;
      if (ctx == null) {
        GetResult read = client.get(keyBytes);
        if (!read.found()) {
          out.println(read.deleted() ? "not found (already deleted)" : "not found");
          out.flush();
          return ExitCodes.NOT_FOUND;
        }
        ctx = read.context();
      }
      DeleteResult r = client.delete(keyBytes, ctx, options);
      out.println("deleted");
      out.println("acks: " + r.acks());
      out.println("sloppy acks: " + r.sloppyAcks());
      out.flush();
      return ExitCodes.OK;
    }
  }
}
