package io.kvstore.antientropy;

import java.util.Objects;

/**
 * Folds the keys of one partition's scan into a leaves array for
 * {@link PartitionTree#finishRebuild} or {@link PartitionTree#of}: each key XORs its
 * {@link KeyHashes#entryHash} into the leaf of its segment.
 *
 * <p>Not thread-safe: one scan, one accumulator. Invariant: every key added belongs to the
 * partition given at construction (a key from elsewhere means the scan bounds are wrong, and is
 * refused rather than folded into a wrong tree).
 */
public final class LeafAccumulator {
  private final int partitionCount;
  private final TreeShape shape;
  private final int partition;
  private final long[] leaves;
  private long count;

  public LeafAccumulator(int partitionCount, TreeShape shape, int partition) {
    this.partitionCount = KeyHashes.validatePartitionCount(partitionCount);
    this.shape = Objects.requireNonNull(shape, "shape");
    this.partition = KeyHashes.checkPartition(partition, partitionCount);
    this.leaves = new long[shape.segments()];
  }

  /** Adds a stored key and its stored value (the encoded sibling set). */
  public void add(byte[] key, byte[] storedValue) {
    add(KeyHashes.ringHash(key), KeyHashes.entryHash(key, storedValue));
  }

  /** Adds a key known by its ring hash and entry hash. */
  public void add(long ringHash, long entryHash) {
    int p = KeyHashes.partitionOf(ringHash, partitionCount);
    if (p != partition) {
      throw new IllegalArgumentException(String.format(
          "ring hash %016x is in partition %d, this accumulator folds partition %d",
          ringHash, p, partition));
    }
    leaves[KeyHashes.segmentOf(ringHash, partitionCount, shape)] ^= entryHash;
    count++;
  }

  /** Keys added so far. */
  public long count() {
    return count;
  }

  /** A copy of the leaves folded so far. */
  public long[] leaves() {
    return leaves.clone();
  }
}
