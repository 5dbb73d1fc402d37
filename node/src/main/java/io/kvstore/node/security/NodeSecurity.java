package io.kvstore.node.security;

import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.kvstore.node.config.SecurityConfig;
import io.kvstore.node.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * One node's security, from its {@link SecurityConfig}: credentials for its gRPC port, its calls
 * to peers and its metrics port, and the access check of each service. Plaintext when the
 * configuration has no TLS: plaintext credentials, no checks. {@link #open} reads and checks
 * every file, so a bad one fails there, named, before the node opens its data. Immutable.
 */
public final class NodeSecurity {
  private final SecurityConfig config;
  private final Access access; // null: plaintext
  private final SSLContext https; // null: plaintext

  private NodeSecurity(SecurityConfig config, Access access, SSLContext https) {
    this.config = config;
    this.access = access;
    this.https = https;
  }

  /** Checks the files of {@code config} and loads the tokens; refusals go to {@code failures}. */
  public static NodeSecurity open(String nodeId, SecurityConfig config, Clock clock,
      Access.Failures failures) {
    if (!config.tls()) {
      return new NodeSecurity(config, null, null);
    }
    Tls.check(config, Instant.ofEpochMilli(clock.currentTimeMillis()));
    Tokens tokens = config.tokensFile() == null ? null : Tokens.load(config.tokensFile());
    return new NodeSecurity(config, new Access(nodeId, tokens, failures, clock),
        Tls.https(config));
  }

  public boolean tls() {
    return config.tls();
  }

  public ServerCredentials serverCredentials() {
    return config.tls() ? Tls.server(config) : InsecureServerCredentials.create();
  }

  /** For calls to peers: this node's certificate as client certificate, or plaintext. */
  public ChannelCredentials peerCredentials() {
    return config.tls() ? Tls.peer(config) : InsecureChannelCredentials.create();
  }

  /** The metrics port's TLS context; null for plain HTTP. */
  public SSLContext https() {
    return https;
  }

  /** Whether an HTTP request with this Authorization header may read the metrics. */
  public boolean mayScrape(String authorization, Object peer) {
    return access == null || access.mayScrape(authorization, peer);
  }

  /**
   * {@code service} behind {@code metrics} and, on a TLS node, the access check: {@code role} for
   * its methods, {@code byMethod} for the exceptions. The metrics interceptor runs first, so
   * refused calls are counted by code too.
   */
  public ServerServiceDefinition guard(BindableService service, ServerInterceptor metrics,
      Role role, Map<String, Role> byMethod) {
    List<ServerInterceptor> chain = access == null ? List.of(metrics)
        : List.of(access.require(byMethod, role), metrics);
    return ServerInterceptors.intercept(service, chain);
  }
}
