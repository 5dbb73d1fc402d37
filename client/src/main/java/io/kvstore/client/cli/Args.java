package io.kvstore.client.cli;

import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of command-line values that picocli cannot express. Stateless. */
final class Args {
  static final int MAX_KEY_BYTES = 1024;

  private Args() {}

  /** The key as UTF-8 bytes, 1..1024 of them. */
  static byte[] key(CommandSpec spec, String key) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0) {
      throw new ParameterException(spec.commandLine(), "KEY must not be empty");
    }
    if (bytes.length > MAX_KEY_BYTES) {
      throw new ParameterException(spec.commandLine(),
          "KEY is " + bytes.length + " bytes; the limit is " + MAX_KEY_BYTES);
    }
    return bytes;
  }

  /** A quorum override: null (not given) is 0, the cluster default; else at least 1. */
  static int quorum(CommandSpec spec, String option, Integer value) {
    if (value == null) {
      return 0;
    }
    if (value < 1) {
      throw new ParameterException(spec.commandLine(), option + " must be at least 1 (got "
          + value + "); leave it out for the cluster default");
    }
    return value;
  }

  static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
