package io.kvstore.node.config;

import io.kvstore.gossip.GossipConfig;
import io.kvstore.lsm.SyncPolicy;
import io.kvstore.ring.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A node's validated configuration (see {@link ConfigLoader} for the file format and the
 * defaults). Immutable.
 *
 * @param listen where the gRPC server binds
 * @param advertise the address other nodes and clients use for this node (from the member list)
 * @param metricsPort HTTP port for Prometheus metrics; 0 picks a free port, -1 disables
 * @param replicaTimeoutMin lower bound of the per-replica timeout (3 x the replicas' recent p99)
 * @param replicaTimeoutMax upper bound of the per-replica timeout
 * @param gossip gossip interval and failure-detector settings
 * @param hints hint store and hinted handoff settings
 * @param antiEntropy anti-entropy and tombstone purge settings
 * @param healthPort a second, plaintext gRPC port serving only the health service (for probes
 *     that cannot do TLS); 0 picks a free port, -1 disables
 * @param security TLS and client authentication; {@link SecurityConfig#PLAINTEXT} when off
 */
public record NodeConfig(
    NodeId nodeId,
    HostPort listen,
    HostPort advertise,
    int metricsPort,
    Path dataDir,
    List<MemberConfig> members,
    int partitions,
    int n,
    int r,
    int w,
    SyncPolicy sync,
    long memtableBytes,
    long blockCacheBytes,
    int maxKeyBytes,
    int maxValueBytes,
    int warnSiblings,
    int maxSiblings,
    Duration requestTimeout,
    int maxInflightRequests,
    Duration replicaTimeoutMin,
    Duration replicaTimeoutMax,
    GossipConfig gossip,
    HintsConfig hints,
    AntiEntropyConfig antiEntropy,
    int healthPort,
    SecurityConfig security) {}
