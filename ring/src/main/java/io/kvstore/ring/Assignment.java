package io.kvstore.ring;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scratch state used while computing a new ring: the owner of every partition, plus per-node
 * partition sets so that "how far is partition p from the nearest partition node X owns" is a
 * logarithmic question.
 *
 * <p>Mutable and not thread-safe: created, changed and discarded inside one {@link Ring} factory
 * call, never shared. Invariant: {@code partitions.get(x)} is exactly the set of p with
 * {@code owners[p] == x}.
 */
final class Assignment {
  private final NodeId[] owners;
  private final Map<NodeId, TreeSet<Integer>> partitions = new HashMap<>();

  Assignment(List<NodeId> initialOwners) {
    this.owners = initialOwners.toArray(new NodeId[0]);
    for (int p = 0; p < owners.length; p++) {
      partitions.computeIfAbsent(owners[p], k -> new TreeSet<>()).add(p);
    }
  }

  int partitionCount() {
    return owners.length;
  }

  NodeId owner(int partition) {
    return owners[partition];
  }

  int count(NodeId node) {
    TreeSet<Integer> set = partitions.get(node);
    return set == null ? 0 : set.size();
  }

  /** Registers a node that owns nothing yet, so that it shows up in {@link #nodes()}. */
  void addNode(NodeId node) {
    partitions.putIfAbsent(node, new TreeSet<>());
  }

  /** Every node known to this assignment, including nodes that own nothing (yet or anymore). */
  Iterable<NodeId> nodes() {
    return partitions.keySet();
  }

  List<Integer> partitionsOf(NodeId node) {
    TreeSet<Integer> set = partitions.get(node);
    return set == null ? List.of() : List.copyOf(set);
  }

  void move(int partition, NodeId to) {
    partitions.get(owners[partition]).remove(partition);
    partitions.computeIfAbsent(to, k -> new TreeSet<>()).add(partition);
    owners[partition] = to;
  }

  /**
   * Clockwise-or-counterclockwise distance from {@code partition} to the nearest other partition
   * owned by {@code node}; {@code partitionCount()} if it owns no other partition.
   */
  int distanceToNearest(NodeId node, int partition) {
    TreeSet<Integer> set = partitions.get(node);
    if (set == null) {
      return owners.length;
    }
    int q = owners.length;
    Integer after = set.higher(partition);
    if (after == null && !set.isEmpty()) {
      after = set.first() + q;
    }
    Integer before = set.lower(partition);
    if (before == null && !set.isEmpty()) {
      before = set.last() - q;
    }
    int best = q;
    if (after != null && after - partition < q) {
      best = Math.min(best, after - partition);
    }
    if (before != null && partition - before < q) {
      best = Math.min(best, partition - before);
    }
    return best;
  }

  void removeNode(NodeId node) {
    if (count(node) != 0) {
      throw new IllegalStateException(node + " still owns partitions");
    }
    partitions.remove(node);
  }

  List<NodeId> owners() {
    return List.of(owners);
  }
}
