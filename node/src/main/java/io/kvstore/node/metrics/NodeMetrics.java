package io.kvstore.node.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.kvstore.lsm.StoreStats;
import io.kvstore.node.coord.CoordinatorListener;
import io.kvstore.node.coord.Retry;
import io.kvstore.gossip.PeerState;
import io.kvstore.node.gossip.GossipDriver;
import io.kvstore.node.antientropy.AeSummary;
import io.kvstore.node.handoff.HandoffSummary;
import io.kvstore.node.rpc.RequestMetrics;
import io.kvstore.node.security.Access;
import io.kvstore.node.time.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The node's metrics, in Prometheus text format: per-RPC request counts and latency histograms
 * (tagged by method and status code, so errors by code fall out of the same series); the
 * coordinator's events (read repairs attempted, failed and dropped, retries, forwards, hinted
 * writes, writes that left many siblings); and what the bind methods add (storage, failure
 * detection, handoff, anti-entropy). Thread safe.
 */
public final class NodeMetrics
    implements ServerInterceptor, CoordinatorListener, RequestMetrics, Access.Failures {
  /** kv_requests timers by method and code: registering one per request is a registry lookup. */
  private final Map<String, Map<Status.Code, Timer>> requestTimers = new ConcurrentHashMap<>();
  private final DistributionSummary batchIn;
  private final DistributionSummary batchOut;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter readRepairs;
  private final Counter readRepairsFailed;
  private final Counter readRepairsDropped;
  private final Map<Retry, Counter> retries = new EnumMap<>(Retry.class);
  private final Counter forwardsSent;
  private final Counter forwardsReceived;
  private final Counter manySiblings;
  private final Clock clock;
  private volatile Runnable beforeScrape = () -> {};

  public NodeMetrics(String nodeId, Clock clock) {
    this.clock = clock;
    registry.config().commonTags("node", nodeId);
    Access.REASONS.forEach(this::authFailures); // every reason's series exists from the start
    readRepairs = Counter.builder("kv_read_repairs")
        .description("read repairs attempted: replicas sent the merged state of a read they"
            + " answered with an older or concurrent state").register(registry);
    readRepairsFailed = Counter.builder("kv_read_repairs_failed")
        .description("read repairs that failed (error or timeout): the replica stays stale until"
            + " a later read or anti-entropy repairs it").register(registry);
    readRepairsDropped = Counter.builder("kv_read_repairs_dropped")
        .description("reads whose repair was dropped unrun because the repair queue was full"
            + " (their stale replicas are left to anti-entropy)").register(registry);
    for (Retry r : Retry.values()) {
      retries.put(r, Counter.builder("kv_coordinator_retries")
          .description("replica requests the coordinator sent again, by op and reason: write or"
              + " read failed or slow (past the per-replica timeout) and sent to a fallback or an"
              + " unasked replica instead; read digest_mismatch: a digest that matched no other"
              + " answer, followed by a full read; forward not_reached: a forward that certainly"
              + " did not arrive, sent to the next replica")
          .tag("op", r.op()).tag("reason", r.reason()).register(registry));
    }
    forwardsSent = Counter.builder("kv_coordinator_forwards_sent")
        .description("writes this node, not a replica of the key, forwarded to a replica to"
            + " coordinate (each attempt)").register(registry);
    forwardsReceived = Counter.builder("kv_coordinator_forwards_received")
        .description("writes another node forwarded here to coordinate").register(registry);
    manySiblings = Counter.builder("kv_many_siblings_writes")
        .description("writes that left a key at or above the sibling warning threshold")
        .register(registry);
    batchIn = DistributionSummary.builder("kv_batch_message_requests")
        .description("requests per message of the Batch streams (direction in: from clients; out:"
            + " answers sent), i.e. how many requests share one network write")
        .tag("direction", "in").register(registry);
    batchOut = DistributionSummary.builder("kv_batch_message_requests")
        .description("requests per message of the Batch streams (direction in: from clients; out:"
            + " answers sent), i.e. how many requests share one network write")
        .tag("direction", "out").register(registry);
  }

  /**
   * The storage engine's series (kv_storage_*, {@link StorageMetrics}), from one {@code stats}
   * snapshot taken before each scrape.
   */
  public void bindStorage(Supplier<StoreStats> stats) {
    AtomicReference<StoreStats> last = new AtomicReference<>(stats.get());
    StorageMetrics.register(registry, last);
    onScrape(() -> last.set(stats.get()));
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

  /**
   * Hinted handoff metrics, taken from {@code summary} once per {@link #scrape}: per target (tag
   * target, only targets with undelivered hints or needing repair) {@code kv_hints_queued},
   * {@code kv_hints_queued_bytes}, {@code kv_hints_oldest_age_seconds}, {@code
   * kv_hints_needs_repair} (1 or 0); the totals since start {@code kv_hints_delivered_total},
   * {@code kv_hints_delivered_bytes_total}, {@code kv_hints_expired_total}, {@code
   * kv_hints_corrupt_total}, {@code kv_hints_torn_total}; and the gauges {@code
   * kv_hints_replay_hints_per_second}, {@code kv_hints_replay_bytes_per_second} (last 10 s) and
   * {@code kv_hints_window_seconds}.
   */
  public void bindHandoff(Supplier<HandoffSummary> summary) {
    AtomicReference<HandoffSummary> last = new AtomicReference<>(summary.get());
    List<Runnable> refresh = List.of(
        perTarget("kv_hints_queued", "undelivered hints kept for the target", last,
            HandoffSummary.TargetQueue::hints),
        perTarget("kv_hints_queued_bytes", "bytes of undelivered hints kept for the target", last,
            HandoffSummary.TargetQueue::bytes),
        perTarget("kv_hints_oldest_age_seconds", "age of the oldest undelivered hint", last,
            q -> q.oldestAgeMillis() / 1000.0),
        perTarget("kv_hints_needs_repair", "1 if hints for the target were lost (expired or"
            + " corrupt) and it awaits anti-entropy", last, q -> q.needsRepair() ? 1 : 0));
    total("kv_hints_delivered", "hints durably acknowledged by their targets", last,
        HandoffSummary::delivered);
    total("kv_hints_delivered_bytes", "bytes of delivered hints", last,
        HandoffSummary::deliveredBytes);
    total("kv_hints_expired", "undelivered hints dropped after the hint window", last,
        HandoffSummary::expired);
    total("kv_hints_corrupt", "corrupt hint records skipped", last, HandoffSummary::corrupt);
    total("kv_hints_torn", "torn hint segment tails skipped", last, HandoffSummary::torn);
    Gauge.builder("kv_hints_replay_hints_per_second", last, r -> r.get().replayHintsPerSecond())
        .description("hints delivered per second over the last 10 s").register(registry);
    Gauge.builder("kv_hints_replay_bytes_per_second", last, r -> r.get().replayBytesPerSecond())
        .description("hint bytes delivered per second over the last 10 s").register(registry);
    Gauge.builder("kv_hints_window_seconds", last, r -> r.get().windowMillis() / 1000.0)
        .description("hints older than this are dropped").register(registry);
    onScrape(() -> {
      last.set(summary.get());
      refresh.forEach(Runnable::run);
    });
  }

  /** Adds {@code refresh} to what runs before each scrape (bound summaries), and runs it once. */
  private synchronized void onScrape(Runnable refresh) {
    Runnable previous = beforeScrape;
    beforeScrape = () -> {
      previous.run();
      refresh.run();
    };
    refresh.run();
  }

  private Runnable perTarget(String name, String help, AtomicReference<HandoffSummary> last,
      ToDoubleFunction<HandoffSummary.TargetQueue> value) {
    MultiGauge g = MultiGauge.builder(name).description(help).register(registry);
    return () -> g.register(last.get().queues().stream()
        .map(q -> MultiGauge.Row.of(Tags.of("target", q.target().id()), value.applyAsDouble(q)))
        .toList(), true);
  }

  /**
   * Anti-entropy counters and freshness (kv_antientropy_*), read from {@code summary} at each
   * scrape.
   */
  public void bindAntiEntropy(Supplier<AeSummary> summary) {
    AtomicReference<AeSummary> last = new AtomicReference<>(summary.get());
    total("kv_antientropy_exchanges", "exchanges of one partition with one co-replica", last,
        AeSummary::exchanges);
    total("kv_antientropy_exchange_failures", "exchanges that did not complete", last,
        AeSummary::failures);
    total("kv_antientropy_keys_repaired", "keys whose sibling sets differed and were exchanged",
        last, AeSummary::keysRepaired);
    total("kv_antientropy_bytes_sent", "anti-entropy bytes sent (hashes, listings, states)", last,
        AeSummary::bytesSent);
    total("kv_antientropy_bytes_received", "anti-entropy bytes received", last,
        AeSummary::bytesReceived);
    total("kv_antientropy_rebuilds", "hash trees rebuilt from storage", last, AeSummary::rebuilds);
    total("kv_tombstones_purged", "tombstones purged", last, AeSummary::purged);
    Gauge.builder("kv_antientropy_trees_built", last, r -> r.get().treesBuilt())
        .description("hash trees built, of the partitions this node replicates")
        .register(registry);
    Gauge.builder("kv_antientropy_partitions", last, r -> r.get().partitions())
        .description("partitions this node replicates").register(registry);
    Gauge.builder("kv_antientropy_oldest_full_exchange_age_seconds", last,
            r -> r.get().oldestFullExchangeAgeMillis() < 0 ? -1
                : r.get().oldestFullExchangeAgeMillis() / 1000.0)
        .description("largest time since a partition completed an exchange with every"
            + " co-replica; -1 while some partition never did")
        .register(registry);
    onScrape(() -> last.set(summary.get()));
  }

  private <S> void total(String name, String help, AtomicReference<S> last,
      ToDoubleFunction<S> value) {
    FunctionCounter.builder(name, last, r -> value.applyAsDouble(r.get())).description(help)
        .register(registry);
  }

  private static Optional<PeerState> peer(GossipDriver g, String id) {
    return g.peers().stream().filter(p -> p.nodeId().equals(id)).findFirst();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text; bound summaries (handoff) are taken afresh first. */
  public String scrape() {
    beforeScrape.run();
    return registry.scrape();
  }

  @Override
  public void readRepair(String target) {
    readRepairs.increment();
  }

  @Override
  public void readRepairFailed(String target) {
    readRepairsFailed.increment();
  }

  @Override
  public void readRepairDropped() {
    readRepairsDropped.increment();
  }

  @Override
  public void retried(Retry retry) {
    retries.get(retry).increment();
  }

  @Override
  public void forwardSent(String target) {
    forwardsSent.increment();
  }

  @Override
  public void forwardReceived() {
    forwardsReceived.increment();
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
        served(method, status.getCode(), clock.nanoTime() - start);
        super.close(status, trailers);
      }
    };
    return next.startCall(timed, headers);
  }

  @Override
  public void batchMessage(boolean inbound, int requests) {
    (inbound ? batchIn : batchOut).record(requests);
  }

  /**
   * Records a request in {@code kv_requests}: every gRPC call (a Batch stream once, when it ends)
   * and every request served inside a Batch stream under its unary method's name.
   */
  @Override
  public void served(String method, Status.Code code, long nanos) {
    requestTimers.computeIfAbsent(method, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(code, c -> Timer.builder("kv_requests")
            .description("gRPC requests served, by method and status code (requests inside a "
                + "Batch stream under their unary method)")
            .tag("method", method)
            .tag("code", c.name())
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(50_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts a call refused by {@link Access} in {@code kv_auth_failures_total}, by reason. */
  @Override
  public void authFailed(String reason) {
    authFailures(reason).increment();
  }

  private Counter authFailures(String reason) {
    return Counter.builder("kv_auth_failures")
        .description("calls refused for missing or invalid credentials (UNAUTHENTICATED) or a"
            + " role that does not cover the service (PERMISSION_DENIED), by reason")
        .tag("reason", reason).register(registry);
  }
}
