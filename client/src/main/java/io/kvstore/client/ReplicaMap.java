package io.kvstore.client;

import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.Member;
import io.kvstore.proto.PartitionReplicas;
import io.kvstore.ring.Partitioner;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where each key's replicas are among the client's endpoints, from one status answer: for every
 * partition, the indexes (into the client's endpoints) of its primary replicas in preference
 * order. A replica whose address (the member's, from the same answer) is not one of the client's
 * endpoints is left out: the client never adds nodes it was not given. Addresses match as
 * host:port with the host compared case-insensitively, not resolved ("localhost:7001" is not
 * "127.0.0.1:7001").
 *
 * <p>Immutable value, thread safe. Invariant: {@code replicas.length} is the ring's partition
 * count, a power of two.
 */
final class ReplicaMap {
  private static final int[] NONE = new int[0];

  private final long epoch;
  private final Partitioner partitioner;
  private final int[][] replicas;

  private ReplicaMap(long epoch, Partitioner partitioner, int[][] replicas) {
    this.epoch = epoch;
    this.partitioner = partitioner;
    this.replicas = replicas;
  }

  /**
   * The map of a status answer over {@code addresses} (the client's endpoints, in order), or null
   * when the answer has no usable replica table: a node older than the field, or a table that
   * does not cover the ring's partitions.
   */
  static ReplicaMap of(ClusterStatusResponse status, List<String> addresses) {
    int q = status.getRing().getPartitionCount();
    if (status.getPartitionReplicasCount() == 0 || status.getPartitionReplicasCount() != q
        || q > Partitioner.MAX_PARTITION_COUNT || Integer.bitCount(q) != 1) {
      return null;
    }
    Map<String, Integer> endpointOf = new HashMap<>();
    for (int i = 0; i < addresses.size(); i++) {
      endpointOf.put(normalized(addresses.get(i)), i);
    }
    Map<String, Integer> nodeEndpoint = new HashMap<>();
    for (Member m : status.getMembersList()) {
      Integer e = endpointOf.get(normalized(m.getAddress()));
      if (e != null) {
        nodeEndpoint.put(m.getNodeId(), e);
      }
    }
    int[][] replicas = new int[q][];
    for (int p = 0; p < q; p++) {
      PartitionReplicas r = status.getPartitionReplicas(p);
      replicas[p] = r.getNodeIdsList().stream().map(nodeEndpoint::get)
          .filter(e -> e != null).distinct().mapToInt(Integer::intValue).toArray();
    }
    return new ReplicaMap(status.getRing().getEpoch(), new Partitioner(q), replicas);
  }

  /** The ring epoch of the answer. */
  long epoch() {
    return epoch;
  }

  /**
   * The endpoints that are replicas of {@code key}, in preference order; empty when none of its
   * replicas is an endpoint of the client. Do not modify the array.
   */
  int[] replicasOf(byte[] key) {
    return key == null ? NONE : replicas[partitioner.partitionOf(key)];
  }

  /** host:port with the host in lower case; an unparsable address stays as written. */
  private static String normalized(String address) {
    try {
      HostPort hp = HostPort.parse(address);
      return hp.host().toLowerCase(Locale.ROOT) + ":" + hp.port();
    } catch (IllegalArgumentException e) {
      return address.strip();
    }
  }
}
