package io.kvstore.client.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code kv} in-process with a given environment and stdin, capturing its output. */
final class CliRunner {
  record Run(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private final Map<String, String> env;

  CliRunner(Map<String, String> env) {
    this.env = env;
  }

  Run run(String... args) {
    return runWithStdin(new byte[0], args);
  }

  Run runWithStdin(byte[] stdin, String... args) {
    CommandLine cmd = KvCli.newCommandLine(env, new ByteArrayInputStream(stdin));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
