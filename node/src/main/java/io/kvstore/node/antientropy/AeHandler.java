package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyHash;
import io.kvstore.antientropy.KeyHashes;
import io.kvstore.antientropy.PartitionTree;
import io.kvstore.lsm.KvIterator;
import io.kvstore.node.NodeError;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.time.Clock;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * This node's side of an exchange: answers a co-replica's tree, key-listing and sync calls from
 * the local trees and store. The gRPC service delegates here; tests call it directly as the
 * remote {@link AePeer} of another node.
 *
 * <p>Thread safe (the trees and the store are). Bad arguments are {@link NodeError}
 * INVALID_ARGUMENT and change nothing.
 */
public final class AeHandler implements AePeer {
  private final Trees trees;
  private final ReplicaStore store;
  private final PurgePolicy purge;
  private final Clock clock;

  public AeHandler(Trees trees, ReplicaStore store, PurgePolicy purge, Clock clock) {
    this.trees = trees;
    this.store = store;
    this.purge = purge;
    this.clock = clock;
  }

  @Override
  public Roots roots(int[] partitions) {
    long[] roots = new long[partitions.length];
    boolean[] built = new boolean[partitions.length];
    for (int i = 0; i < partitions.length; i++) {
      PartitionTree t = trees.tree(checkPartition(partitions[i]));
      roots[i] = t.root();
      built[i] = t.built();
    }
    return new Roots(roots, built);
  }

  @Override
  public long[] branches(int partition) {
    return trees.tree(checkPartition(partition)).branches();
  }

  @Override
  public long[] leaves(int partition, int[] branches) {
    int count = trees.shape().branches();
    for (int b : branches) {
      if (b < 0 || b >= count) {
        throw NodeError.invalid("branch " + b + " outside 0.." + (count - 1));
      }
    }
    return trees.tree(checkPartition(partition)).leaves(branches);
  }

  @Override
  public List<KeyHash> segmentKeys(int partition, int[] segments) {
    return list(trees, store, checkPartition(partition), segments);
  }

  /** The keys of {@code segments} of {@code partition} in {@code store}, with entry hashes. */
  static List<KeyHash> list(Trees trees, ReplicaStore store, int partition, int[] segments) {
    List<KeyHash> out = new ArrayList<>();
    for (int s : segments) {
      if (s < 0 || s >= trees.shape().segments()) {
        throw NodeError.invalid("segment " + s + " outside 0.." + (trees.shape().segments() - 1));
      }
      int q = trees.partitionCount();
      try (KvIterator it = store.scan(KeyHashes.segmentStart(partition, s, q, trees.shape()),
          KeyHashes.segmentEnd(partition, s, q, trees.shape()))) {
        while (it.hasNext()) {
          KvIterator.Entry e = it.next();
          byte[] key = KeyLayout.userKey(e.key());
          out.add(new KeyHash(key, KeyHashes.entryHash(key, e.value())));
        }
      }
    }
    return out;
  }

  /**
   * Merges each sent state, then answers with this node's state of every key whose merged state
   * differs from what was sent; a state this node may purge is not handed to a caller that sent
   * none (it is purged here instead of copied back).
   */
  @Override
  public List<KeyState> sync(int partition, List<KeyState> states) {
    checkPartition(partition);
    long now = clock.currentTimeMillis();
    List<SiblingSet> decoded = new ArrayList<>(states.size());
    for (KeyState s : states) { // validate everything before changing anything
      if (trees.partitionOf(KeyLayout.hash(s.key())) != partition) {
        throw NodeError.invalid("key of " + s.key().length + " bytes is not in partition "
            + partition);
      }
      decoded.add(s.siblings() == null ? null : decode(s.siblings()));
    }
    List<KeyState> out = new ArrayList<>();
    for (int i = 0; i < states.size(); i++) {
      byte[] key = states.get(i).key();
      SiblingSet theirs = decoded.get(i);
      Optional<SiblingSet> mine = theirs == null ? store.read(key)
          : merge(store, purge, partition, key, theirs, now);
      if (mine.isEmpty() || (theirs == null && purge.purgeable(partition, mine.get(), now))) {
        continue;
      }
      byte[] encoded = mine.get().encode();
      if (theirs == null || !Arrays.equals(encoded, states.get(i).siblings())) {
        out.add(new KeyState(key, encoded));
      }
    }
    return out;
  }

  /**
   * Merges a co-replica's state of {@code key} into the store, except a tombstone-only state
   * this node may purge for a key it holds nothing of: it purged it, or never needed it (the
   * mirror of not handing such a state to a peer that lacks the key). Returns the local state.
   */
  static Optional<SiblingSet> merge(ReplicaStore store, PurgePolicy purge, int partition,
      byte[] key, SiblingSet theirs, long now) {
    if (purge.purgeable(partition, theirs, now)) {
      Optional<SiblingSet> mine = store.read(key);
      if (mine.isEmpty()) {
        return mine;
      }
    }
    return Optional.of(store.merge(key, theirs));
  }

  private int checkPartition(int p) {
    if (p < 0 || p >= trees.partitionCount()) {
      throw NodeError.invalid("partition " + p + " outside 0.." + (trees.partitionCount() - 1));
    }
    return p;
  }

  static SiblingSet decode(byte[] bytes) {
    try {
      return SiblingSet.decode(bytes);
    } catch (MalformedVersionException e) {
      throw NodeError.invalid("malformed sibling set in anti-entropy sync: " + e.getMessage());
    }
  }
}
