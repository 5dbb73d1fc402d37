package io.kvstore.node.antientropy;

import io.kvstore.antientropy.KeyHashes;
import io.kvstore.antientropy.LeafAccumulator;
import io.kvstore.antientropy.PartitionTree;
import io.kvstore.antientropy.TreeShape;
import io.kvstore.lsm.KvIterator;
import io.kvstore.node.store.KeyLayout;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.store.StoreChanges;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongConsumer;

/**
 * This node's hash trees, one per partition, kept current by every change of the replica store
 * (it is the store's {@link StoreChanges}): a change XORs {@code entryHash(key, before) ^
 * entryHash(key, after)} into the key's segment, with no read and no rebuild. Also notes, per
 * partition, the earliest delete time of tombstone-only states written since the last purge
 * scan, so a purge scan runs only where there may be something to purge.
 *
 * <p>Thread safe. Each partition has a read-write lock: writers of the partition hold the read
 * side across their engine write and {@link #changed}; {@link #rebuild} holds the write side
 * only while it opens its snapshot and begins the tree's rebuild (PartitionTree's contract).
 */
public final class Trees implements StoreChanges {
  private final int partitionCount;
  private final TreeShape shape;
  private final ReentrantReadWriteLock[] locks;
  private final AtomicReferenceArray<PartitionTree> trees;
  /** Per partition: earliest delete time of a purge candidate not yet scanned; 0 = none. */
  private final AtomicLongArray tombstones;

  public Trees(int partitionCount, TreeShape shape) {
    this.partitionCount = KeyHashes.validatePartitionCount(partitionCount);
    this.shape = shape;
    this.locks = new ReentrantReadWriteLock[partitionCount];
    for (int p = 0; p < partitionCount; p++) {
      locks[p] = new ReentrantReadWriteLock();
    }
    this.trees = new AtomicReferenceArray<>(partitionCount);
    this.tombstones = new AtomicLongArray(partitionCount);
  }

  public int partitionCount() {
    return partitionCount;
  }

  public TreeShape shape() {
    return shape;
  }

  public int partitionOf(long hash) {
    return KeyHashes.partitionOf(hash, partitionCount);
  }

  public int segmentOf(long hash) {
    return KeyHashes.segmentOf(hash, partitionCount, shape);
  }

  @Override
  public Lock lock(long hash) {
    return locks[partitionOf(hash)].readLock();
  }

  @Override
  public void changed(long hash, byte[] key, byte[] before, byte[] after, long deletedAt) {
    long delta = (before == null ? 0 : KeyHashes.entryHash(key, before))
        ^ (after == null ? 0 : KeyHashes.entryHash(key, after));
    int p = partitionOf(hash);
    if (delta != 0) {
      tree(p).apply(segmentOf(hash), delta);
    }
    if (deletedAt != 0) {
      noteTombstone(p, deletedAt);
    }
  }

  /** The tree of {@code partition}, created empty (not built) on first use. */
  public PartitionTree tree(int partition) {
    PartitionTree t = trees.get(partition);
    if (t == null) {
      trees.compareAndSet(partition, null, new PartitionTree(shape));
      t = trees.get(partition);
    }
    return t;
  }

  /** Installs trees loaded from the tree file (before the store takes writes). */
  public void load(Map<Integer, PartitionTree> loaded) {
    loaded.forEach(trees::set);
  }

  /** Every built tree, by partition (what a clean shutdown persists). */
  public Map<Integer, PartitionTree> builtTrees() {
    Map<Integer, PartitionTree> out = new TreeMap<>();
    for (int p = 0; p < partitionCount; p++) {
      PartitionTree t = trees.get(p);
      if (t != null && t.built()) {
        out.put(p, t);
      }
    }
    return out;
  }

  /** What a rebuild found: keys scanned, and segments where the tree had drifted from storage. */
  public record Rebuilt(long keys, int changedSegments) {}

  /**
   * Rebuilds the tree of {@code partition} from a snapshot of the store while writes go on;
   * {@code perKey} is called with 1 per key (a rate limiter may block in it). On failure the
   * tree is left as it was.
   */
  public Rebuilt rebuild(int partition, ReplicaStore store, LongConsumer perKey) {
    PartitionTree tree = tree(partition);
    KvIterator it;
    PartitionTree.Rebuild rebuild;
    Lock exclusive = locks[partition].writeLock();
    exclusive.lock();
    try {
      it = store.scan(KeyHashes.partitionStart(partition, partitionCount),
          KeyHashes.partitionEnd(partition, partitionCount));
      rebuild = tree.beginRebuild();
    } finally {
      exclusive.unlock();
    }
    LeafAccumulator leaves = new LeafAccumulator(partitionCount, shape, partition);
    try (it) {
      while (it.hasNext()) {
        KvIterator.Entry e = it.next();
        leaves.add(KeyLayout.hashOf(e.key()),
            KeyHashes.entryHash(KeyLayout.userKey(e.key()), e.value()));
        perKey.accept(1);
      }
    } catch (RuntimeException | Error e) {
      tree.abortRebuild(rebuild);
      throw e;
    }
    return new Rebuilt(leaves.count(), tree.finishRebuild(rebuild, leaves.leaves()));
  }

  /** Notes a purge candidate of {@code partition} deleted at {@code deletedAt}. */
  public void noteTombstone(int partition, long deletedAt) {
    tombstones.accumulateAndGet(partition, deletedAt, (a, b) -> a == 0 ? b : Math.min(a, b));
  }

  /** The earliest noted delete time of {@code partition} (0 = none), without clearing it. */
  public long earliestTombstone(int partition) {
    return tombstones.get(partition);
  }

  /**
   * Clears and returns the earliest noted delete time of {@code partition}, for a purge scan
   * about to open its snapshot: candidates written from now on are noted again, and those the
   * scan leaves (not yet purgeable) it notes again itself.
   */
  public long takeTombstones(int partition) {
    return tombstones.getAndSet(partition, 0);
  }
}
