package io.kvstore.node.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kvstore.node.coord.CoordinatorListener;
import io.kvstore.gossip.PeerState;
import io.kvstore.node.gossip.GossipDriver;
import io.kvstore.node.time.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The node's metrics, in Prometheus text format: per-RPC request counts and latency histograms
 * (tagged by method and status code, so errors by code fall out of the same series), read
 * repairs, and writes that left many siblings. Thread safe.
 */
public final class NodeMetrics implements ServerInterceptor, CoordinatorListener {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter readRepairs;
  private final Counter manySiblings;
  private final Clock clock;

  public NodeMetrics(String nodeId, Clock clock) {
    this.clock = clock;
    registry.config().commonTags("node", nodeId);
    readRepairs = Counter.builder("kv_read_repairs")
        .description("replicas sent a merged state by read repair").register(registry);
    manySiblings = Counter.builder("kv_many_siblings_writes")
        .description("writes that left a key at or above the sibling warning threshold")
        .register(registry);
  }

  /**
   * Failure-detector metrics for every configured peer: {@code kv_peer_up}, {@code kv_peer_phi},
   * {@code kv_peer_heartbeat_age_seconds} (gauges, tag peer), {@code kv_peer_heartbeat_gap_seconds}
   * (distribution of gaps between heartbeat answers), and the totals
   * {@code kv_gossip_convictions_total}, {@code kv_gossip_pings_sent_total},
   * {@code kv_gossip_acks_received_total}.
   */
  public void bindGossip(GossipDriver gossip, Collection<String> peers) {
    for (String peer : peers) {
      Gauge.builder("kv_peer_up", gossip, g -> peer(g, peer).map(p -> p.alive() ? 1.0 : 0.0)
              .orElse(Double.NaN))
          .description("1 if the failure detector sees the peer up, 0 if convicted")
          .tag("peer", peer).register(registry);
      Gauge.builder("kv_peer_phi", gossip, g -> peer(g, peer).map(PeerState::phi)
              .orElse(Double.NaN))
          .description("phi-accrual suspicion of the peer (convicted above the threshold)")
          .tag("peer", peer).register(registry);
      Gauge.builder("kv_peer_heartbeat_age_seconds", gossip, g -> peer(g, peer)
              .filter(p -> p.lastAckAgeMillis() >= 0).map(p -> p.lastAckAgeMillis() / 1000.0)
              .orElse(Double.NaN))
          .description("time since the peer last answered a heartbeat")
          .tag("peer", peer).register(registry);
    }
    DistributionSummary gaps = DistributionSummary.builder("kv_peer_heartbeat_gap_seconds")
        .description("gaps between consecutive heartbeat answers of a peer")
        .publishPercentiles(0.5, 0.99).register(registry);
    gossip.onHeartbeatGap((peer, millis) -> gaps.record(millis / 1000.0));
    FunctionCounter.builder("kv_gossip_convictions", gossip, g -> g.counters().convictions())
        .description("peers convicted by the failure detector").register(registry);
    FunctionCounter.builder("kv_gossip_pings_sent", gossip, g -> g.counters().pingsSent())
        .description("heartbeat pings sent").register(registry);
    FunctionCounter.builder("kv_gossip_acks_received", gossip, g -> g.counters().acksReceived())
        .description("heartbeat answers received").register(registry);
  }

  private static Optional<PeerState> peer(GossipDriver g, String id) {
    return g.peers().stream().filter(p -> p.nodeId().equals(id)).findFirst();
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
  public void hintedWrite(String owner) {
    Counter.builder("kv_hinted_writes")
        .description("writes sent to a fallback as a hint for a down or slow primary replica")
        .tag("owner", owner).register(registry).increment();
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    long start = clock.nanoTime();
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
            .record(Duration.ofNanos(clock.nanoTime() - start));
        super.close(status, trailers);
      }
    };
    return next.startCall(timed, headers);
  }
}
