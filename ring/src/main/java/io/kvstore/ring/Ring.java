package io.kvstore.ring;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The partition ring (Dynamo 4.2, with Q equal partitions as in Dynamo 6.2 strategy 3): which
 * physical node owns each of the Q partitions, at which epoch, and the preference lists that
 * follow from it.
 *
 * <p>An immutable value, thread-safe. Changes ({@link #withNode}, {@link #withoutNode}) return a
 * new ring with epoch + 1 and leave this one untouched. Invariants: Q is a power of two in
 * [1, 65536]; every partition has an owner; every member owns at least one partition (so a ring
 * holds at most Q nodes); epoch >= 0.
 */
public final class Ring {
  /** Epoch of a ring made by {@link #create}; 0 is left free to mean "no ring yet". */
  public static final long INITIAL_EPOCH = 1;

  private final long epoch;
  private final Partitioner partitioner;
  private final ImmutableList<NodeId> owners;
  private final ImmutableSortedMap<NodeId, Integer> counts;
  /**
   * Memo of {@link #preferenceListWithFallbacks}, filled on first use per partition (every
   * request asks for one); null when Q x members exceeds {@link #MEMO_ENTRIES}. A racing fill
   * computes the same immutable list; its final fields make publication through the plain array
   * safe.
   */
  private final List<?>[] walks;
  /** At most this many node references are memoized per ring (Q=256 with 4,096 members). */
  private static final long MEMO_ENTRIES = 1 << 20;

  private Ring(long epoch, List<NodeId> owners) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    this.epoch = epoch;
    this.partitioner = new Partitioner(owners.size());
    this.owners = ImmutableList.copyOf(owners); // rejects null owners
    Map<NodeId, Integer> c = new TreeMap<>();
    for (NodeId n : this.owners) {
      c.merge(n, 1, Integer::sum);
    }
    this.counts = ImmutableSortedMap.copyOf(c);
    this.walks = (long) owners.size() * counts.size() <= MEMO_ENTRIES
        ? new List<?>[owners.size()] : null;
  }

  /**
   * A balanced ring at {@link #INITIAL_EPOCH}: partition p goes to the (p mod S)-th node in id
   * order, so counts differ by at most one and consecutive partitions have different owners.
   */
  public static Ring create(int q, Collection<NodeId> nodes) {
    Partitioner.validatePartitionCount(q);
    List<NodeId> sorted = new ArrayList<>(new TreeSet<>(nodes));
    if (sorted.size() != nodes.size()) {
      throw new IllegalArgumentException("duplicate node ids in " + nodes);
    }
    if (sorted.isEmpty() || sorted.size() > q) {
      throw new IllegalArgumentException(
          "a ring of " + q + " partitions needs 1.." + q + " nodes, got " + sorted.size());
    }
    return new Ring(INITIAL_EPOCH, Rebalancer.roundRobin(q, sorted));
  }

  /** A ring with an explicit assignment: {@code owners.get(p)} owns partition p. */
  public static Ring fromAssignment(long epoch, List<NodeId> owners) {
    Partitioner.validatePartitionCount(owners.size());
    return new Ring(epoch, owners);
  }

  /**
   * The ring after {@code node} joins: it takes {@code floor(Q / (S + 1))} partitions from the
   * nodes above their new share, and nothing else moves.
   */
  public Ring withNode(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (counts.containsKey(node)) {
      throw new IllegalArgumentException(node + " is already a member of " + this);
    }
    if (counts.size() + 1 > owners.size()) {
      throw new IllegalArgumentException(
          "a ring of " + owners.size() + " partitions cannot hold more than that many nodes");
    }
    return new Ring(nextEpoch(), Rebalancer.join(owners, counts.size(), node));
  }

  /** The ring after {@code node} leaves: its partitions, and only those, go to the others. */
  public Ring withoutNode(NodeId node) {
    Objects.requireNonNull(node, "node");
    if (!counts.containsKey(node)) {
      throw new IllegalArgumentException(node + " is not a member of " + this);
    }
    if (counts.size() == 1) {
      throw new IllegalArgumentException("cannot remove " + node + ", the last node of the ring");
    }
    List<NodeId> remaining = new ArrayList<>(counts.keySet());
    remaining.remove(node);
    return new Ring(nextEpoch(), Rebalancer.leave(owners, remaining, node));
  }

  private long nextEpoch() {
    return Math.addExact(epoch, 1);
  }

  /**
   * The owners of {@code partition} and of the partitions after it clockwise, skipping nodes
   * already chosen, until {@code n} distinct nodes (or all members, if fewer) are found.
   */
  public List<NodeId> preferenceList(int partition, int n) {
    partitioner.checkPartition(partition);
    if (n < 1) {
      throw new IllegalArgumentException("replica count must be >= 1, got " + n);
    }
    if (walks == null) {
      return walk(partition, Math.min(n, counts.size()));
    }
    List<NodeId> all = preferenceListWithFallbacks(partition);
    return n >= all.size() ? all : all.subList(0, n);
  }

  public List<NodeId> preferenceList(byte[] key, int n) {
    return preferenceList(partitioner.partitionOf(key), n);
  }

  /** Every member, in clockwise order from {@code partition}: N primaries, then fallbacks. */
  public List<NodeId> preferenceListWithFallbacks(int partition) {
    partitioner.checkPartition(partition);
    @SuppressWarnings("unchecked")
    List<NodeId> all = walks == null ? null : (List<NodeId>) walks[partition];
    if (all == null) {
      all = walk(partition, counts.size());
      if (walks != null) {
        walks[partition] = all;
      }
    }
    return all;
  }

  /** The first {@code want} distinct owners clockwise from {@code partition}. */
  private List<NodeId> walk(int partition, int want) {
    Set<NodeId> chosen = new LinkedHashSet<>();
    int mask = owners.size() - 1;
    for (int i = 0; chosen.size() < want; i++) {
      chosen.add(owners.get((partition + i) & mask));
    }
    return List.copyOf(chosen);
  }

  /** Partitions whose first {@code n} preference-list entries include {@code node}. */
  public List<Integer> partitionsReplicatedBy(NodeId node, int n) {
    if (n < 1) {
      throw new IllegalArgumentException("replica count must be >= 1, got " + n);
    }
    List<Integer> out = new ArrayList<>();
    if (counts.containsKey(node)) {
      for (int p = 0; p < owners.size(); p++) {
        if (preferenceList(p, n).contains(node)) {
          out.add(p);
        }
      }
    }
    return List.copyOf(out);
  }

  /** Partitions owned by {@code node}, ascending; empty for a non-member. */
  public List<Integer> partitionsOf(NodeId node) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < owners.size(); p++) {
      if (owners.get(p).equals(node)) {
        out.add(p);
      }
    }
    return List.copyOf(out);
  }

  public NodeId ownerOf(int partition) {
    partitioner.checkPartition(partition);
    return owners.get(partition);
  }

  /** The whole assignment: element p is the owner of partition p. */
  public List<NodeId> owners() {
    return owners;
  }

  /** Members in id order. */
  public Set<NodeId> members() {
    return counts.keySet();
  }

  /** Partitions owned per member, in id order. */
  public Map<NodeId, Integer> ownershipCounts() {
    return counts;
  }

  public long epoch() {
    return epoch;
  }

  public int partitionCount() {
    return owners.size();
  }

  public Partitioner partitioner() {
    return partitioner;
  }

  public int partitionOf(byte[] key) {
    return partitioner.partitionOf(key);
  }

  public HashRange hashRangeOf(int partition) {
    return partitioner.rangeOf(partition);
  }

  /** The binary form described in FORMAT.md. */
  public byte[] encode() {
    return RingCodec.encode(this);
  }

  /** Parses {@link #encode()}'s output; throws IllegalArgumentException naming what is wrong. */
  public static Ring decode(byte[] bytes) {
    return RingCodec.decode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ring other && other.epoch == epoch && other.owners.equals(owners);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(epoch) * 31 + owners.hashCode();
  }

  @Override
  public String toString() {
    return "Ring{epoch=" + epoch + ", q=" + owners.size() + ", owned=" + counts + "}";
  }
}
