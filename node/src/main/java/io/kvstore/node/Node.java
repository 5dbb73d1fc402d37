package io.kvstore.node;

import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.kvstore.lsm.LsmStore;
import io.kvstore.lsm.Options;
import io.kvstore.node.cluster.Membership;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.node.coord.Coordinator;
import io.kvstore.node.coord.CoordinatorRuntime;
import io.kvstore.node.coord.CoordinatorSettings;
import io.kvstore.node.coord.RepairQueue;
import io.kvstore.node.metrics.MetricsHttpServer;
import io.kvstore.node.metrics.NodeMetrics;
import io.kvstore.node.rpc.AdminService;
import io.kvstore.node.rpc.BatchSessions;
import io.kvstore.node.rpc.Calls;
import io.kvstore.node.rpc.GrpcReplicaClient;
import io.kvstore.node.rpc.InlineCalls;
import io.kvstore.node.rpc.PeerChannels;
import io.kvstore.node.gossip.GossipDriver;
import io.kvstore.node.handoff.HandoffListener;
import io.kvstore.node.handoff.HandoffManager;
import io.kvstore.node.handoff.HintDelivery;
import io.kvstore.node.hints.Fallback;
import io.kvstore.node.hints.HintIndex;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.gossip.GrpcGossipTransport;
import io.kvstore.gossip.EndpointState;
import io.kvstore.gossip.GossipCore;
import io.kvstore.node.rpc.KvStoreService;
import io.kvstore.node.rpc.ReplicaService;
import io.kvstore.node.rpc.RequestValidator;
import io.kvstore.node.security.NodeSecurity;
import io.kvstore.node.security.Role;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.antientropy.TreeShape;
import io.kvstore.lsm.env.Env;
import io.kvstore.node.antientropy.AeHandler;
import io.kvstore.node.antientropy.AntiEntropy;
import io.kvstore.node.antientropy.ExchangeLog;
import io.kvstore.node.antientropy.PurgePolicy;
import io.kvstore.node.antientropy.TreeFiles;
import io.kvstore.node.antientropy.Trees;
import io.kvstore.node.rpc.AntiEntropyService;
import io.kvstore.node.rpc.GrpcAePeer;
import io.kvstore.node.store.LayoutFile;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.DotCounter;
import io.kvstore.node.versioning.Actor;
import io.kvstore.ring.NodeId;
import io.kvstore.node.versioning.IncarnationStore;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kvstore server, assembled from its parts ({@link NodeParts}: clock, storage env,
 * membership): the replica store on the LSM engine, the ring from the membership, the gossip
 * driver (failure detection), the coordinator routing by its verdicts, and one gRPC port serving
 * the client, replica, anti-entropy and admin services plus health and reflection; the hint store
 * with the fallback role and the handoff manager of sloppy quorum; the hash trees and the
 * anti-entropy scheduler. Only this class and {@link NodeMain} wire things together.
 *
 * <p>Data directory: {@code commitlog/}, {@code sstables/}, {@code MANIFEST} (the engine's),
 * {@code meta/} ({@code layout}, store/FORMAT.md; the incarnation; {@code hint-repair-flags}:
 * targets that lost hints, handoff FORMAT.md; {@code aae-trees}: the trees a clean shutdown
 * saved, antientropy FORMAT.md) and {@code hints/} (the hint store, hints/FORMAT.md). Thread
 * safe; {@link #close()} shuts down gracefully.
 */
public final class Node implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Node.class);
  /** Deadline of one hint delivery (a replica write on the returning owner). */
  private static final long HINT_DELIVERY_MILLIS = 10_000;

  private final NodeConfig config;
  private final Actor actor;
  private final ReplicaStore store;
  private final HintStore hints;
  private final Fallback fallback;
  private final HandoffManager handoff;
  private final ExecutorService handoffExecutor;
  private final Trees trees;
  private final AntiEntropy antiEntropy;
  private final ScheduledExecutorService aeExchanges;
  private final ScheduledExecutorService aeRebuilds;
  private final PeerChannels channels;
  private final BatchSessions streams = new BatchSessions();
  private final GrpcReplicaClient peers;
  private final ExecutorService peerSender;
  private final GossipDriver gossip;
  private final ScheduledExecutorService gossipLoop;
  private final ExecutorService syncExecutor;
  private final ExecutorService repairExecutor;
  private final ScheduledExecutorService timer;
  private final NodeHealth health;
  private final NodeMetrics metrics;
  private final Server server;
  private final MetricsHttpServer metricsHttp;
  private final Clock clock;
  private final Env env;
  private final long started;

  private Node(NodeConfig config, NodeParts parts) throws IOException {
    this.config = config;
    this.clock = parts.clock();
    this.env = parts.storageEnv();
    this.started = clock.nanoTime();
    this.metrics = new NodeMetrics(config.nodeId().id(), clock);
    // Bad credentials fail here, named, before the data directory is opened.
    NodeSecurity security = NodeSecurity.open(config.nodeId().id(), config.security(), clock,
        metrics);
    Path dataDir = config.dataDir();
    LayoutFile.check(parts.storageEnv(), dataDir);
    long incarnation = IncarnationStore.nextIncarnation(parts.storageEnv(), dataDir.resolve("meta"),
        clock.currentTimeMillis());
    this.actor = new Actor(config.nodeId().id(), incarnation);
    Membership membership = parts.membership();
    this.trees = new Trees(membership.ring().partitionCount(), TreeShape.DEFAULT);
    trees.load(TreeFiles.loadOnce(parts.storageEnv(), treeFile(), trees));
    this.store = new ReplicaStore(LsmStore.open(dataDir, Options.builder()
        .env(parts.storageEnv())
        .syncPolicy(config.sync())
        .memtableBytes(config.memtableBytes())
        .blockCacheBytes(config.blockCacheBytes())
        .build()), trees, new DotCounter(), clock::currentTimeMillis);
    this.hints = HintStore.open(parts.storageEnv(), dataDir.resolve("hints"), clock,
        config.hints().segmentBytes());
    this.fallback = new Fallback(config.nodeId(), hints,
        new HintIndex(config.hints().indexMaxBytes()), membership.addresses()::containsKey, clock,
        config.hints().window().toMillis());
    long indexed = fallback.rebuild(clock.currentTimeMillis() - config.hints().window().toMillis());
    if (indexed > 0) {
      LOG.info("event=hints_indexed node={} hints={} targets={}", config.nodeId().id(), indexed,
          hints.targets().size());
    }
    this.channels = new PeerChannels(clock, security.peerCredentials());
    // Every request arms timers that its answer cancels: cancelled ones must leave the queue at
    // once, or it holds a request timeout's worth of dead entries.
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("kv-timer"));
    timer.setRemoveOnCancelPolicy(true);
    this.timer = timer;
    this.peerSender = Executors.newSingleThreadExecutor(daemon("kv-peer-sender"));
    this.peers = new GrpcReplicaClient(config.nodeId(), membership.addresses(), channels, timer,
        peerSender);
    this.syncExecutor = Executors.newFixedThreadPool(4, daemon("kv-sync"));
    this.repairExecutor = RepairQueue.create(config.nodeId().id(), 10_000, daemon("kv-repair"),
        metrics);
    this.gossipLoop = Executors.newSingleThreadScheduledExecutor(daemon("kv-gossip"));
    this.gossip = gossipDriver(config, membership, incarnation);
    this.handoffExecutor = Executors.newSingleThreadExecutor(daemon("kv-handoff"));
    this.handoff = new HandoffManager(config.nodeId(), hints, delivery(peers), gossip, clock,
        Scheduler.of(timer), handoffExecutor, config.hints(),
        dataDir.resolve("meta").resolve("hint-repair-flags"), new HandoffListener() {
          @Override
          public void delivered(NodeId target, byte[] key) {
            fallback.index().delivered(target, key);
          }

          @Override
          public void drained(NodeId target) {
            fallback.index().drained(target);
          }
        });
    gossip.onUp(handoff::onUp);
    long window = config.hints().window().toMillis();
    ExchangeLog exchangeLog = new ExchangeLog(window);
    PurgePolicy purge = new PurgePolicy(config.nodeId(), membership::ring, config.n(),
        exchangeLog, config.antiEntropy().tombstoneGrace().toMillis(), window);
    this.aeExchanges = Executors.newSingleThreadScheduledExecutor(daemon("kv-ae"));
    this.aeRebuilds = Executors.newSingleThreadScheduledExecutor(daemon("kv-ae-rebuild"));
    this.antiEntropy = antiEntropy(membership, exchangeLog, purge);
    metrics.bindStorage(store.engine()::stats);
    metrics.bindHandoff(handoff::summary);
    metrics.bindAntiEntropy(antiEntropy::summary);
    metrics.bindGossip(gossip, membership.addresses().keySet().stream()
        .filter(id -> !id.equals(config.nodeId())).map(NodeId::id).toList());
    Coordinator coordinator = new Coordinator(
        new CoordinatorSettings(config.nodeId(), actor, config.n(), config.warnSiblings(),
            config.maxSiblings(), config.requestTimeout().toMillis(),
            config.replicaTimeoutMin().toMillis(), config.replicaTimeoutMax().toMillis()),
        new CoordinatorRuntime(clock, Scheduler.of(timer), syncExecutor, repairExecutor),
        membership::ring, store, peers, gossip, metrics);
    RequestValidator validator = new RequestValidator(config.n(), config.r(), config.w(),
        config.maxKeyBytes(), config.maxValueBytes());
    Calls calls = new Calls(config.maxInflightRequests(), config.requestTimeout(), clock);
    ClusterStatus status = new ClusterStatus(config, membership, gossip, incarnation,
        handoff::summary, antiEntropy::summary);
    KvStoreService kv = new KvStoreService(coordinator, validator, calls, status::response,
        metrics, clock, streams);
    this.health = new NodeHealth(config.healthPort());
    this.server = Grpc.newServerBuilderForPort(config.listen().port(),
            security.serverCredentials())
        .callExecutor(new InlineCalls())
        .addService(security.guard(kv, metrics, Role.CLIENT, Map.of()))
        .addService(security.guard(new ReplicaService(config.nodeId(), store, fallback, validator,
            calls, kv, gossip, clock, window, metrics, syncExecutor, streams), metrics, Role.NODE,
            Map.of()))
        .addService(security.guard(new AntiEntropyService(new AeHandler(trees, store, purge,
            clock), antiEntropy, trees, calls), metrics, Role.NODE, Map.of()))
        .addService(security.guard(new AdminService(store, validator, calls,
                () -> status.nodeInfo(clock.nanoTime() - started), antiEntropy,
                membership.ring().partitionCount(), membership.addresses().keySet()), metrics,
            Role.CLIENT, Map.of(AdminGrpc.getGetLocalVersionsMethod().getFullMethodName(),
                Role.OPERATOR, AdminGrpc.getRepairMethod().getFullMethodName(), Role.OPERATOR)))
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(health.service())
        .maxInboundMessageSize(64 << 20)
        // Peers ping every KEEPALIVE_SECONDS; allow twice that rate so timing jitter is no strike.
        .permitKeepAliveTime(PeerChannels.KEEPALIVE_SECONDS / 2, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build();
    this.metricsHttp = config.metricsPort() < 0 ? null
        : new MetricsHttpServer(config.listen().host(), config.metricsPort(), metrics::scrape,
            () -> !server.isShutdown(), security.https(), security::mayScrape);
  }

  /** Opens the data directory, starts serving, and returns the running node. */
  public static Node start(NodeConfig config) throws IOException {
    return start(config, NodeParts.defaults(config));
  }

  /** As {@link #start(NodeConfig)}, assembled from the given parts. */
  public static Node start(NodeConfig config, NodeParts parts) throws IOException {
    Node node = new Node(config, parts);
    try {
      node.server.start();
      node.health.start();
    } catch (IOException e) {
      node.server.shutdownNow();
      node.closeResources();
      throw new IOException("cannot listen on port " + config.listen().port()
          + (config.healthPort() >= 0 ? " and health port " + config.healthPort() : "") + ": "
          + e.getMessage(), e);
    }
    node.gossip.start();
    node.handoff.start();
    node.antiEntropy.start();
    node.health.serving();
    if (!config.security().tls()) {
      LOG.warn("event=plaintext node={} msg=\"no tls settings: every byte travels in clear text"
          + " and anyone who can reach port {} can call every service, the node-to-node ones"
          + " included (for local development only; README.md Security)\"",
          config.nodeId().id(), node.port());
    }
    LOG.info("event=started node={} actor={}.{} listen={} data_dir={} n={} r={} w={} sync={}",
        config.nodeId().id(), node.actor.nodeId(), node.actor.incarnation(), node.port(),
        config.dataDir(), config.n(), config.r(), config.w(), config.sync());
    return node;
  }

  public int port() {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  /** The health-only port, or -1 when health_port is off. */
  public int healthPort() {
    return health.port();
  }

  public int metricsPort() {
    return metricsHttp == null ? -1 : metricsHttp.port();
  }

  public NodeConfig config() {
    return config;
  }

  public Actor actor() {
    return actor;
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  /** This node's replica store, for tests that change a replica behind the coordinator. */
  ReplicaStore replicaStore() {
    return store;
  }

  /**
   * Graceful shutdown: report NOT_SERVING, stop accepting calls, let in-flight calls finish (up to
   * 10 s), then flush the memtable and close the store.
   */
  @Override
  public void close() {
    health.drain();
    gossip.close(); // peers route around this node from now on
    server.shutdown();
    streams.drainAll(); // request streams end once what they started is answered
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("event=shutdown_timeout node={} msg=\"cancelling calls still running after 10 s\"",
            config.nodeId().id());
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    stopBackground();
    boolean flushed = false;
    try {
      store.engine().flush();
      flushed = true;
    } catch (RuntimeException e) {
      LOG.warn("event=shutdown_flush_failed node={} error=\"{}\"", config.nodeId().id(), e.toString());
    }
    closeResources();
    health.close();
    if (flushed) {
      saveTrees();
    }
    LOG.info("event=stopped node={}", config.nodeId().id());
  }

  /**
   * Stops the way a killed process looks to its peers: no shutdown announcement, no memtable
   * flush (the commit log has what was acknowledged), calls in flight cancelled. For in-process
   * tests of failure detection and recovery.
   */
  void crash() {
    health.drain();
    server.shutdownNow();
    health.close();
    closeResources();
    LOG.info("event=crashed node={}", config.nodeId().id());
  }

  /**
   * Stops what writes the local store in the background (anti-entropy, read repair) and waits
   * briefly for it, so the trees saved at shutdown match the closed store.
   */
  private void stopBackground() {
    aeExchanges.shutdownNow();
    aeRebuilds.shutdownNow();
    repairExecutor.shutdownNow();
    try {
      aeExchanges.awaitTermination(5, TimeUnit.SECONDS);
      aeRebuilds.awaitTermination(5, TimeUnit.SECONDS);
      repairExecutor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Persists the built trees after a clean close (TreeFiles); a failure only costs a rebuild. */
  private void saveTrees() {
    try {
      TreeFiles.save(env, treeFile(), trees);
    } catch (IOException | RuntimeException e) {
      LOG.warn("event=tree_file_write_failed node={} error=\"{}\" (trees are rebuilt at start)",
          config.nodeId().id(), e.toString());
    }
  }

  private Path treeFile() {
    return config.dataDir().resolve("meta").resolve(TreeFiles.NAME);
  }

  private void closeResources() {
    if (metricsHttp != null) {
      metricsHttp.close();
    }
    handoff.close(); // before the hint store and the channels its deliveries use
    handoffExecutor.shutdownNow();
    aeExchanges.shutdownNow();
    aeRebuilds.shutdownNow();
    peers.close();
    channels.close();
    peerSender.shutdownNow();
    gossipLoop.shutdownNow();
    syncExecutor.shutdownNow();
    repairExecutor.shutdownNow();
    timer.shutdownNow();
    hints.close();
    store.close();
  }

  /**
   * The gossip layer: generation = this start's incarnation, seeds = every configured member
   * (the core skips its own address), the ring epoch of the membership's ring.
   */
  private GossipDriver gossipDriver(NodeConfig config, Membership membership, long incarnation) {
    String id = config.nodeId().id();
    GossipCore core = new GossipCore(
        EndpointState.starting(id, config.advertise().toString(), incarnation,
            membership.ring().epoch()),
        membership.addresses().values(), config.gossip(), RandomGenerator.of("L64X128MixRandom"));
    return new GossipDriver(id, core, new GrpcGossipTransport(channels), clock,
        Scheduler.of(gossipLoop), gossipLoop, config.gossip());
  }

  /**
   * Hands a hint to its owner: the ordinary replica merge (ReplicaWrite), acknowledged once
   * durable there. A hint whose sibling set does not decode (its record passed its CRC, so it was
   * written that way) can never be delivered: it is logged and stepped over, not retried forever.
   */
  private HintDelivery delivery(GrpcReplicaClient peers) {
    return (target, hint) -> {
      SiblingSet state;
      try {
        state = SiblingSet.decode(hint.siblings());
      } catch (MalformedVersionException e) {
        LOG.error("event=hint_undeliverable node={} target={} error=\"{}\"",
            config.nodeId().id(), target.id(), e.getMessage());
        return CompletableFuture.completedFuture(null);
      }
      return peers.deliverHint(target, hint.key(), state, hint.createdMillis(),
          clock.deadlineAfter(HINT_DELIVERY_MILLIS)).thenApply(merged -> null);
    };
  }

  /**
   * The anti-entropy scheduler: this node's trees and store, co-replicas over gRPC, the gossip
   * verdicts, hinted handoff's repair flags, and its two threads.
   */
  private AntiEntropy antiEntropy(Membership membership, ExchangeLog log, PurgePolicy purge) {
    return new AntiEntropy(
        new AntiEntropy.Local(config.nodeId(), config.n(), trees, store, log, purge),
        new AntiEntropy.Cluster(membership::ring, gossip, aePeers(membership),
            new AntiEntropy.HintLosses() {
              @Override
              public java.util.Set<NodeId> needsRepair() {
                return handoff.needsRepair();
              }

              @Override
              public void repaired(NodeId node) {
                handoff.clearNeedsRepair(node);
              }
            }),
        new AntiEntropy.Runtime(clock, aeExchanges, aeRebuilds,
            RandomGenerator.of("L64X128MixRandom")),
        config.antiEntropy());
  }

  /** Co-replicas reached over gRPC on the node's channels. */
  private AntiEntropy.Peers aePeers(Membership membership) {
    java.util.Map<NodeId, String> addresses = java.util.Map.copyOf(membership.addresses());
    return new AntiEntropy.Peers() {
      @Override
      public GrpcAePeer peer(NodeId node) {
        String address = addresses.get(node);
        if (address == null) {
          throw NodeError.invalid("node " + node.id() + " is not a member");
        }
        return new GrpcAePeer(config.nodeId(), node, address, channels, trees);
      }

      @Override
      public void requestRepair(NodeId node, String reason) {
        peer(node).requestRepair(reason);
      }
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
