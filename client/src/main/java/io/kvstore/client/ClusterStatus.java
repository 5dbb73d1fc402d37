package io.kvstore.client;

import io.kvstore.proto.ClusterStatusResponse;
import java.util.Comparator;
import java.util.List;

/**
 * One node's view of the cluster: its members and their liveness, the ring and the replication
 * defaults, and that node's own hinted handoff and anti-entropy. A local view, not a consensus: two nodes may briefly disagree. Immutable.
 *
 * @param nodeId the node that answered
 * @param members every member it knows of, itself included, ordered by node id
 * @param partitionCount the ring's number of partitions (Q)
 * @param ringEpoch the ring's version, incremented by every join or leave
 * @param n replicas per key
 * @param r default read quorum
 * @param w default write quorum
 * @param hints the hints the answering node holds for other nodes, and its handoff counters
 * @param antiEntropy the answering node's anti-entropy: its hash trees, exchanges and how fresh
 *     each of its partitions is ({@link AntiEntropy#NONE} from a node that reports none)
 */
public record ClusterStatus(
    String nodeId, List<Member> members, int partitionCount, long ringEpoch, int n, int r, int w,
    Hints hints, AntiEntropy antiEntropy) {

  public ClusterStatus {
    members = List.copyOf(members);
  }

  /** A view without anti-entropy ({@link AntiEntropy#NONE}), as built before nodes reported it. */
  public ClusterStatus(String nodeId, List<Member> members, int partitionCount, long ringEpoch,
      int n, int r, int w, Hints hints) {
    this(nodeId, members, partitionCount, ringEpoch, n, r, w, hints, AntiEntropy.NONE);
  }

  /**
   * The answering node's hint store and hinted handoff: writes it accepted as a fallback for
   * nodes that were down, not yet delivered, and what it delivered or lost since it started.
   *
   * @param queues one entry per target with undelivered hints, ordered by node id
   * @param delivered hints durably acknowledged by their owners since start
   * @param deliveredBytes their bytes
   * @param expired hints dropped for outliving the hint window
   * @param windowMillis the hint window
   * @param corrupt corrupt records skipped in hint segments
   * @param torn torn segment tails skipped
   * @param replayHintsPerSecond delivery rate over the last 10 s
   * @param replayBytesPerSecond delivery rate over the last 10 s, bytes
   */
  public record Hints(List<HintQueue> queues, long delivered, long deliveredBytes, long expired,
      long windowMillis, long corrupt, long torn, double replayHintsPerSecond,
      double replayBytesPerSecond) {
    public static final Hints NONE = new Hints(List.of(), 0, 0, 0, 0, 0, 0, 0, 0);

    public Hints {
      queues = List.copyOf(queues);
    }

    /** Undelivered hints over every target. */
    public long queued() {
      return queues.stream().mapToLong(HintQueue::hints).sum();
    }
  }

  /**
   * Undelivered hints for one target.
   *
   * @param oldestAgeMillis age of the oldest undelivered hint (0 if none)
   * @param needsRepair hints for the target were lost (expired or corrupt): it needs anti-entropy
   */
  public record HintQueue(String targetNodeId, long hints, long bytes, long oldestAgeMillis,
      boolean needsRepair) {}

  /**
   * What the answering node's anti-entropy did since it started, and how fresh each partition it
   * replicates is. A partition is <em>fully exchanged</em> when it completed an exchange with
   * every co-replica; ages are in milliseconds, -1 meaning never.
   *
   * @param partitions partitions the node replicates
   * @param treesBuilt how many of their hash trees are built (a partition whose tree is being
   *     rebuilt from storage, after an unclean stop, is not compared)
   * @param exchanges exchanges run (one partition with one co-replica each)
   * @param exchangeFailures those of them that failed
   * @param keysRepaired keys whose sibling sets differed and were exchanged
   * @param bytesSent bytes of sibling sets and key listings sent
   * @param bytesReceived and received
   * @param rebuilds tree rebuilds from storage finished
   * @param tombstonesPurged tombstones purged
   * @param oldestFullExchangeAgeMillis the largest full-exchange age over the partitions; -1
   *     while some partition was never fully exchanged
   * @param partitionStates per partition, ordered by partition
   */
  public record AntiEntropy(int partitions, int treesBuilt, long exchanges, long exchangeFailures,
      long keysRepaired, long bytesSent, long bytesReceived, long rebuilds, long tombstonesPurged,
      long oldestFullExchangeAgeMillis, List<PartitionState> partitionStates) {
    /** What a node that reports no anti-entropy (no partitions) stands for. */
    public static final AntiEntropy NONE = new AntiEntropy(0, 0, 0, 0, 0, 0, 0, 0, 0, -1, List.of());

    public AntiEntropy {
      partitionStates = List.copyOf(partitionStates);
    }

    /**
     * The {@code limit} partitions longest without a full exchange: those never fully exchanged
     * first, then by age, oldest first; ties by partition.
     */
    public List<PartitionState> stalest(int limit) {
      return partitionStates.stream()
          .sorted(Comparator.comparingLong(PartitionState::staleness).reversed()
              .thenComparingInt(PartitionState::partition))
          .limit(limit).toList();
    }
  }

  /**
   * One partition the answering node replicates.
   *
   * @param treeBuilt whether its hash tree is built
   * @param fullExchangeAgeMillis since it last completed an exchange with every co-replica; -1
   *     if never
   */
  public record PartitionState(int partition, boolean treeBuilt, long fullExchangeAgeMillis) {
    /** True while it never completed an exchange with every co-replica. */
    public boolean neverFullyExchanged() {
      return fullExchangeAgeMillis < 0;
    }

    /** Orders by staleness: never exchanged above any age. */
    private long staleness() {
      return neverFullyExchanged() ? Long.MAX_VALUE : fullExchangeAgeMillis;
    }
  }

  /** Liveness of a member as judged by the answering node's failure detector. */
  public enum MemberStatus {
    UP,
    DOWN,
    /** Known but no heartbeat answer yet: not convicted, so still routed to. */
    UNKNOWN
  }

  /**
   * One node of the cluster.
   *
   * @param nodeId stable node id, e.g. "n1"
   * @param address where it serves gRPC, "host:port"
   * @param status its liveness as the answering node sees it
   * @param partitionsOwned ring partitions it owns as primary
   * @param incarnation incremented at every start of the node (its gossip generation), as the
   *     answering node last learned it; 0 if not yet
   * @param self true for the node that answered
   * @param phi the answering node's phi-accrual suspicion of this member (0 for itself)
   * @param lastHeartbeatAgeMillis since the answering node last got a heartbeat answer from this
   *     member; -1 if never (and for itself)
   * @param convictions how often the answering node convicted this member since it started
   */
  public record Member(
      String nodeId,
      String address,
      MemberStatus status,
      int partitionsOwned,
      long incarnation,
      boolean self,
      double phi,
      long lastHeartbeatAgeMillis,
      long convictions) {}

  static ClusterStatus fromProto(ClusterStatusResponse p) {
    List<Member> members = p.getMembersList().stream()
        .map(m -> new Member(m.getNodeId(), m.getAddress(), status(m.getStatus()),
            m.getPartitionsOwned(), m.getIncarnation(), m.getIsSelf(), m.getPhi(),
            m.getLastHeartbeatAgeMillis(), m.getConvictions()))
        .toList();
    return new ClusterStatus(p.getNodeId(), members, p.getRing().getPartitionCount(),
        p.getRing().getEpoch(), p.getDefaults().getN(), p.getDefaults().getR(),
        p.getDefaults().getW(), hints(p.getHints()),
        p.hasAntiEntropy() ? antiEntropy(p.getAntiEntropy()) : AntiEntropy.NONE);
  }

  private static AntiEntropy antiEntropy(io.kvstore.proto.AntiEntropySummary a) {
    List<PartitionState> states = a.getPartitionStatesList().stream()
        .map(s -> new PartitionState(s.getPartition(), s.getTreeBuilt(),
            s.getFullExchangeAgeMillis()))
        .toList();
    return new AntiEntropy(a.getPartitions(), a.getTreesBuilt(), a.getExchanges(),
        a.getExchangeFailures(), a.getKeysRepaired(), a.getBytesSent(), a.getBytesReceived(),
        a.getRebuilds(), a.getTombstonesPurged(), a.getOldestFullExchangeAgeMillis(), states);
  }

  private static Hints hints(io.kvstore.proto.HintSummary h) {
    List<HintQueue> queues = h.getQueuesList().stream()
        .map(q -> new HintQueue(q.getTargetNodeId(), q.getHints(), q.getBytes(),
            q.getOldestAgeMillis(), q.getNeedsRepair()))
        .toList();
    return new Hints(queues, h.getDelivered(), h.getDeliveredBytes(), h.getExpired(),
        h.getWindowMillis(), h.getCorrupt(), h.getTorn(), h.getReplayHintsPerSecond(),
        h.getReplayBytesPerSecond());
  }

  private static MemberStatus status(io.kvstore.proto.MemberStatus s) {
    return switch (s) {
      case MEMBER_STATUS_UP -> MemberStatus.UP;
      case MEMBER_STATUS_DOWN -> MemberStatus.DOWN;
      default -> MemberStatus.UNKNOWN;
    };
  }
}
