package io.kvstore.node.security;

import io.kvstore.node.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Client bearer tokens, from the node's {@code auth.tokens_file}: one token per line,
 * {@code NAME ROLE sha256:HEX} (ROLE {@code client} or {@code operator}, HEX the SHA-256 of the
 * token's UTF-8 bytes; {@code #} starts a comment). The file holds only hashes, so reading it does
 * not reveal a token; {@code scripts/tls-certs.sh token} makes a token and its line. Immutable,
 * thread safe.
 */
public final class Tokens {
  private final Map<String, Principal> byHash;

  private Tokens(Map<String, Principal> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** Reads {@code file}; a malformed line fails naming the file and line number. */
  public static Tokens load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read auth.tokens_file " + file + ": " + e.getMessage());
    }
    Map<String, Principal> byHash = new HashMap<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + ":" + (i + 1) + ": ";
      String[] f = line.split("\\s+");
      if (f.length != 3 || !f[2].startsWith("sha256:")) {
        throw new ConfigException(where + "expected 'NAME ROLE sha256:HEX'");
      }
      Role role = switch (f[1]) {
        case "client" -> Role.CLIENT;
        case "operator" -> Role.OPERATOR;
        default -> throw new ConfigException(where + "role must be client or operator, got '"
            + f[1] + "'");
      };
      String hex = f[2].substring("sha256:".length()).toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw new ConfigException(where + "sha256: must be followed by 64 hex digits");
      }
      if (!names.add(f[0])) {
        throw new ConfigException(where + "token name " + f[0] + " appears twice");
      }
      if (byHash.put(hex, new Principal(f[0], role)) != null) {
        throw new ConfigException(where + "the same token is listed twice");
      }
    }
    return new Tokens(byHash);
  }

  /** The holder of {@code token}, if it is listed. */
  public Optional<Principal> holder(String token) {
    return Optional.ofNullable(byHash.get(sha256Hex(token)));
  }

  public int size() {
    return byHash.size();
  }

  static String sha256Hex(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every Java runtime has SHA-256", e);
    }
  }
}
