package io.kvstore.node.config;

import java.nio.file.Path;

/**
 * TLS and client authentication settings (README.md "Security"). Without {@code tls} a node
 * serves plaintext and authenticates nobody: for local development only. Immutable.
 *
 * @param cert PEM certificate (chain) of this node: served to clients and peers, and presented to
 *     peers as its client certificate; null for plaintext
 * @param key PEM PKCS#8 private key of {@code cert}
 * @param ca PEM certificate(s) of the cluster CA: a peer must present a certificate chaining to
 *     it to call the node-to-node services, and peers' server certificates are verified with it
 * @param tokensFile client bearer tokens ({@code NAME ROLE sha256:HEX} lines); null: clients need
 *     no token (TLS still encrypts and the node-to-node services still require a node certificate)
 */
public record SecurityConfig(Path cert, Path key, Path ca, Path tokensFile) {
  public static final SecurityConfig PLAINTEXT = new SecurityConfig(null, null, null, null);

  public boolean tls() {
    return cert != null;
  }
}
