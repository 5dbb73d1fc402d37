package io.kvstore.client.cli;

import io.kvstore.client.KvException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns failures into one "error: ..." line naming the problem and an exit code (see
 * {@link ExitCodes}); stack traces only with --verbose. Stateless.
 */
final class CliErrors implements IParameterExceptionHandler, IExecutionExceptionHandler {

  @Override
  public int handleParseException(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + ex.getMessage());
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    if (verbose(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
    if (ex instanceof ParameterException pe) {
      return handleParseException(pe, parseResult.originalArgs().toArray(String[]::new));
    }
    PrintWriter err = cmd.getErr();
    int code;
    if (ex instanceof KvException e) {
      err.println("error: " + e.getMessage());
      String hint = hint(e, cmd);
      if (hint != null) {
        err.println(hint);
      }
      code = ExitCodes.of(e);
    } else {
      err.println("error: " + ex);
      code = ExitCodes.OTHER;
    }
    if (verbose(cmd)) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static String hint(KvException e, CommandLine cmd) {
    if (e.closedWithoutAnswer() && !root(cmd).tls()) {
      return "hint: if the nodes use TLS, give --tls-ca FILE (the cluster CA) and --token-file";
    }
    return switch (e.code()) {
      case UNAUTHENTICATED -> "hint: give the token of a client of this cluster with --token-file"
          + " (or $KV_TOKEN_FILE)";
      case PERMISSION_DENIED -> "hint: this needs an operator's token";
      case FAILED_PRECONDITION -> "hint: read the key (kv get), resolve the siblings and write"
          + " the result back with kv put --context";
      case DEADLINE_EXCEEDED -> "hint: a write may or may not have been stored; --timeout sets"
          + " the deadline";
      case RESOURCE_EXHAUSTED -> "hint: the node is overloaded; retry later";
      default -> null;
    };
  }

  private static boolean verbose(CommandLine cmd) {
    return root(cmd).verbose();
  }

  private static KvCli root(CommandLine cmd) {
    CommandLine root = cmd;
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return (KvCli) root.getCommand();
  }
}
