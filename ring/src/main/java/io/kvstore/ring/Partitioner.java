package io.kvstore.ring;

import java.util.Objects;

/**
 * Maps keys to partitions: a key hashes to the first 64 bits of its Murmur3-128 hash (seed 0,
 * Guava's {@code asLong()}), read as an unsigned number; the hash space is cut into Q equal,
 * contiguous partitions, partition {@code p} covering {@code [p * 2^64/Q, (p+1) * 2^64/Q)}.
 * So the partition of a hash is just its top {@code log2(Q)} bits.
 *
 * <p>Immutable and thread-safe. Invariant: Q is a power of two in {@code [1, 65536]}. The hash
 * function is part of the on-disk and wire contract: changing it moves every key.
 */
public final class Partitioner {
  /** Partition count used when a cluster is created without choosing one. */
  public static final int DEFAULT_PARTITION_COUNT = 256;
  /** Largest partition count accepted (2^16, so an owner table stays small). */
  public static final int MAX_PARTITION_COUNT = 1 << 16;

  private final int partitionCount;
  private final int bits;

  public Partitioner(int partitionCount) {
    this.partitionCount = validatePartitionCount(partitionCount);
    this.bits = Integer.numberOfTrailingZeros(partitionCount);
  }

  /** Returns {@code q} if it is a power of two in [1, 65536]; otherwise throws. */
  public static int validatePartitionCount(int q) {
    if (q < 1 || q > MAX_PARTITION_COUNT || Integer.bitCount(q) != 1) {
      throw new IllegalArgumentException(
          "partition count must be a power of two in [1, " + MAX_PARTITION_COUNT + "], got " + q);
    }
    return q;
  }

  /** The 64-bit ring position of a key (to be read as unsigned). */
  public static long hashOf(byte[] key) {
    Objects.requireNonNull(key, "key");
    return Murmur3.hash64(key);
  }

  public int partitionCount() {
    return partitionCount;
  }

  public int partitionOf(byte[] key) {
    return partitionOfHash(hashOf(key));
  }

  /** The partition that holds an (unsigned) hash: its top log2(Q) bits. */
  public int partitionOfHash(long hash) {
    return bits == 0 ? 0 : (int) (hash >>> (64 - bits));
  }

  /** The hash range of a partition; the last one ends at 2^64 (see {@link HashRange}). */
  public HashRange rangeOf(int partition) {
    checkPartition(partition);
    if (bits == 0) {
      return new HashRange(0, 0);
    }
    int shift = 64 - bits;
    // For the last partition (p + 1) << shift overflows to 0, which HashRange reads as 2^64.
    return new HashRange((long) partition << shift, (long) (partition + 1) << shift);
  }

  void checkPartition(int partition) {
    if (partition < 0 || partition >= partitionCount) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range [0, " + partitionCount + ")");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Partitioner other && other.partitionCount == partitionCount;
  }

  @Override
  public int hashCode() {
    return partitionCount;
  }

  @Override
  public String toString() {
    return "Partitioner{q=" + partitionCount + ", murmur3_128/64}";
  }
}
