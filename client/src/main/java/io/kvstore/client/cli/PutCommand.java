package io.kvstore.client.cli;

import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import io.kvstore.client.PutResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kv put}: writes a value, prints the new context and the number of acks. */
@Command(name = "put", mixinStandardHelpOptions = true,
    description = {
        "Writes a value to a key and prints the new causal context and how many replicas acked.",
        "With --context (from kv get or an earlier put) the value replaces exactly the"
            + " siblings that context covers; without it the write is blind and becomes one more"
            + " sibling of whatever the key holds.",
        "The value is the VALUE argument as UTF-8 text, or the bytes of --file, or stdin"
            + " (VALUE '-' or --stdin): exactly one of them."},
    footer = {"", "Examples:",
        "  kv put user:1 alice",
        "  kv put user:1 bob --context AQIDBA --w 3",
        "  kv put photo:7 --file photo.jpg",
        "  echo -n hello | kv put greeting -"})
final class PutCommand implements Callable<Integer> {
  @ParentCommand
  KvCli kv;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (UTF-8 text, 1..1024 bytes).")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
      description = "The value as text; '-' reads it from stdin.")
  String value;

  @Option(names = "--file", paramLabel = "PATH", description = "Read the value from a file.")
  Path file;

  @Option(names = "--stdin", description = "Read the value from stdin.")
  boolean stdin;

  @Option(names = "--context", paramLabel = "CONTEXT", converter = ContextConverter.class,
      description = "The context printed by kv get / kv put for this key (default: none, a"
          + " blind write).")
  Context context = Context.EMPTY;

  @Mixin
  WriteQuorum quorum;

  @Override
  public Integer call() {
    byte[] keyBytes = Args.key(spec, key);
    var options = quorum.options(spec);
    byte[] valueBytes = readValue();
    PutResult r;
    try (KvClient client = kv.client(spec)) {
      r = client.put(keyBytes, valueBytes, context, options);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("context: " + r.context().toBase64());
    out.println("acks: " + r.acks());
    out.println("sloppy acks: " + r.sloppyAcks());
    out.flush();
    return ExitCodes.OK;
  }

  private byte[] readValue() {
    boolean fromStdin = stdin || "-".equals(value);
    int sources = (value != null && !"-".equals(value) ? 1 : 0) + (file != null ? 1 : 0)
        + (fromStdin ? 1 : 0);
    if (sources != 1) {
      throw Args.usage(spec, "give the value exactly once: as VALUE, with --file PATH, or on"
          + " stdin with '-' or --stdin");
    }
    try {
      if (file != null) {
        return Files.readAllBytes(file);
      }
      if (fromStdin) {
        return kv.stdin().readAllBytes();
      }
    } catch (IOException e) {
      String what = file != null ? "--file " + file : "stdin";
      throw Args.usage(spec, "cannot read " + what + ": " + e);
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
