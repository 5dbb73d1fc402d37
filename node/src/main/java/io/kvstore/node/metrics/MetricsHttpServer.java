package io.kvstore.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * Serves {@code GET /metrics} (Prometheus text) and {@code GET /health} over HTTP, or HTTPS on a
 * TLS node, where the metrics may also require a bearer token (401 without a valid one; the
 * health answer never does).
 */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;

  /** Plain HTTP, no authentication. */
  public MetricsHttpServer(String host, int port, Supplier<String> metrics,
      Supplier<Boolean> healthy) throws IOException {
    this(host, port, metrics, healthy, null, (authorization, peer) -> true);
  }

  /**
   * @param tls HTTPS with this context; null: HTTP
   * @param mayScrape whether a request with this Authorization header (null when absent) from
   *     this peer may read the metrics
   */
  public MetricsHttpServer(String host, int port, Supplier<String> metrics,
      Supplier<Boolean> healthy, SSLContext tls, BiPredicate<String, Object> mayScrape)
      throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (tls == null) {
      server = HttpServer.create(address, 16);
    } else {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.createContext("/metrics", ex -> {
      if (!mayScrape.test(ex.getRequestHeaders().getFirst("Authorization"), ex.getRemoteAddress())) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer");
        reply(ex, 401, "a bearer token is required\n", "text/plain");
        return;
      }
      reply(ex, 200, metrics.get(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.createContext("/health", ex -> {
      boolean ok = healthy.get();
      reply(ex, ok ? 200 : 503, ok ? "SERVING\n" : "NOT_SERVING\n", "text/plain");
    });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "metrics-http");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void reply(HttpExchange ex, int code, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
