package io.kvstore.node.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kvstore.node.coord.CoordinatorListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * The node's metrics, in Prometheus text format: per-RPC request counts and latency histograms
 * (tagged by method and status code, so errors by code fall out of the same series), read
 * repairs, and writes that left many siblings. Thread safe.
 */
public final class NodeMetrics implements ServerInterceptor, CoordinatorListener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter readRepairs;
  private final Counter manySiblings;

  public NodeMetrics(String nodeId) {
    registry.config().commonTags("node", nodeId);
    readRepairs = Counter.builder("kv_read_repairs")
        .description("replicas sent a merged state by read repair").register(registry);
    manySiblings = Counter.builder("kv_many_siblings_writes")
        .description("writes that left a key at or above the sibling warning threshold")
        .register(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void readRepair(String target) {
    readRepairs.increment();
  }

  @Override
  public void manySiblings(int count) {
    manySiblings.increment();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    long start = System.nanoTime();
    ServerCall<Q, A> timed = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        Timer.builder("kv_requests")
            .description("gRPC requests served, by method and status code")
            .tag("method", method)
            .tag("code", status.getCode().name())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry)
            .record(Duration.ofNanos(System.nanoTime() - start));
        super.close(status, trailers);
      }
    };
    return next.startCall(timed, headers);
  }
}
