package io.kvstore.node.security;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kvstore.node.time.Clock;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call what, on a TLS node. A caller is a node when it presented a client certificate at
 * the handshake (the handshake accepts only certificates chaining to the cluster CA), else the
 * holder of the bearer token in its {@code authorization} header ({@link Tokens}), else nobody.
 * Each service requires a {@link Role}: a call without credentials is refused UNAUTHENTICATED, a
 * caller whose role does not cover the service PERMISSION_DENIED, before any of the service's
 * code runs, so a refused call changes nothing. With no tokens file, client-role calls need no
 * credentials. The HTTPS metrics port asks for a listed token of any role ({@link #mayScrape}).
 * Every refusal is counted ({@link Failures}) and logged (at most one line per
 * second, with how many were not logged) with the method, reason and peer address, never the
 * token. Thread safe.
 */
public final class Access {
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;
  /** Every reason a call is refused for (the {@code reason} label of the refusal counter). */
  public static final List<String> REASONS = List.of("missing_credentials",
      "invalid_token", "malformed_authorization", "not_a_node", "not_an_operator");

  /** Where refusals are counted, by reason. */
  public interface Failures {
    void authFailed(String reason);
  }

  private final String nodeId;
  private final Tokens tokens;
  private final Failures failures;
  private final Clock clock;
  private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE);
  private final AtomicLong unlogged = new AtomicLong();

  /** {@code tokens} null: client-role calls need no credentials. */
  Access(String nodeId, Tokens tokens, Failures failures, Clock clock) {
    this.nodeId = nodeId;
    this.tokens = tokens;
    this.failures = failures;
    this.clock = clock;
  }

  /**
   * An interceptor requiring the role {@code byMethod} gives a full method name
   * ({@code kvstore.v1.Admin/Repair}), {@code otherwise} for the rest.
   */
  ServerInterceptor require(Map<String, Role> byMethod, Role otherwise) {
    Map<String, Role> roles = Map.copyOf(byMethod);
    return new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
          ServerCallHandler<Q, A> next) {
        String method = call.getMethodDescriptor().getFullMethodName();
        Status refused = check(call, headers, method, roles.getOrDefault(method, otherwise));
        if (refused == null) {
          return next.startCall(call, headers);
        }
        call.close(refused, new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
  }

  /**
   * Whether an HTTP request for the metrics with this {@code Authorization} header (null when
   * absent) may have them: with a tokens file, the header must carry a listed token, of any role;
   * a refusal is counted and logged as a refused call of {@code GET /metrics}.
   */
  boolean mayScrape(String authorization, Object peer) {
    if (tokens == null) {
      return true;
    }
    Bearer b = bearer(authorization, peer, "GET /metrics");
    if (b.holder() == null && b.refused() == null) {
      refuse(peer, "GET /metrics", Status.UNAUTHENTICATED, "missing_credentials", "");
    }
    return b.holder() != null;
  }

  /** A bearer token's check: its holder, or the refusal, or neither (no token given). */
  private record Bearer(Principal holder, Status refused) {
    static final Bearer NONE = new Bearer(null, null);
  }

  /**
   * Checks the bearer token in {@code authorization}: a malformed header or an unlisted token is
   * refused (counted and logged).
   */
  private Bearer bearer(String authorization, Object peer, String method) {
    if (authorization == null || tokens == null) {
      return Bearer.NONE;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return new Bearer(null, refuse(peer, method, Status.UNAUTHENTICATED,
          "malformed_authorization", "the authorization header must be 'Bearer TOKEN'"));
    }
    Principal who = tokens.holder(authorization.substring(7).strip()).orElse(null);
    return who != null ? new Bearer(who, null) : new Bearer(null, refuse(peer, method,
        Status.UNAUTHENTICATED, "invalid_token", "the bearer token is not valid on node " + nodeId));
  }

  /** Null when the caller may call {@code method}, else the status refusing it. */
  private Status check(ServerCall<?, ?> call, Metadata headers, String method, Role needed) {
    Object peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    Principal who = node(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    if (who == null) {
      Bearer bearer = bearer(headers.get(AUTHORIZATION), peer, method);
      if (bearer.refused() != null) {
        return bearer.refused();
      }
      who = bearer.holder();
    }
    if (who == null) {
      if (needed == Role.CLIENT && tokens == null) {
        return null;
      }
      return refuse(peer, method, Status.UNAUTHENTICATED, "missing_credentials", method
          + (needed == Role.NODE
              ? " is for the cluster's nodes: it needs mutual TLS with a certificate of the"
                  + " cluster CA"
              : " needs a bearer token (authorization: Bearer TOKEN)"));
    }
    if (!who.role().covers(needed)) {
      return refuse(peer, method, Status.PERMISSION_DENIED,
          needed == Role.NODE ? "not_a_node" : "not_an_operator",
          method + (needed == Role.NODE
              ? " is for the cluster's nodes (a certificate of the cluster CA); "
              : " needs an operator token; ")
          + who.role().name().toLowerCase(Locale.ROOT) + " " + who.name()
          + " may not call it");
    }
    return null;
  }

  /** The node that presented a certificate at the handshake, or null. */
  private static Principal node(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x
          ? new Principal(x.getSubjectX500Principal().getName(), Role.NODE)
          : null;
    } catch (SSLPeerUnverifiedException e) {
      return null;
    }
  }

  private Status refuse(Object peer, String method, Status status, String reason,
      String message) {
    failures.authFailed(reason);
    long now = clock.nanoTime();
    long last = lastLog.get();
    if ((last == Long.MIN_VALUE || now - last >= LOG_INTERVAL_NANOS)
        && lastLog.compareAndSet(last, now)) {
      LOG.warn("event=auth_failed node={} method={} reason={} code={} peer={} not_logged={}",
          nodeId, method, reason, status.getCode(), peer, unlogged.getAndSet(0));
    } else {
      unlogged.incrementAndGet();
    }
    return status.withDescription(message);
  }
}
