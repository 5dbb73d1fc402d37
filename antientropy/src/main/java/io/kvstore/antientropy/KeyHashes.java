package io.kvstore.antientropy;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.util.Objects;

/**
 * Pure functions from keys and stored values to the numbers the hash trees are made of: a key's
 * ring hash, where it falls (partition, segment), the 8-byte storage prefix bounds of a partition
 * or segment, and the entry hash a key contributes to its leaf. FORMAT.md ("Key prefix and
 * segments") is the normative description.
 *
 * <p>Stateless; thread-safe. Partition counts Q and segment counts S are powers of two, Q in
 * [1, 65536] and S as in {@link TreeShape}, so {@code log2(Q) + log2(S) <= 32} bits of the
 * 64-bit hash select a (partition, segment).
 */
public final class KeyHashes {
  /** Largest partition count accepted (as the ring's {@code Partitioner}). */
  public static final int MAX_PARTITION_COUNT = 1 << 16;
  /** Bytes of the big-endian ring-hash prefix every stored key starts with. */
  public static final int PREFIX_BYTES = 8;

  private static final HashFunction MURMUR = Hashing.murmur3_128();

  private KeyHashes() {}

  /**
   * A key's position on the ring, to be read as unsigned: the first 64 bits of Murmur3-128
   * (seed 0) of the key, Guava's {@code asLong()}. Same function as the ring's partitioner.
   */
  public static long ringHash(byte[] key) {
    Objects.requireNonNull(key, "key");
    return MURMUR.hashBytes(key).asLong();
  }

  /**
   * What a present key contributes to its leaf: the first 64 bits of Murmur3-128 (seed 0) over
   * the key's length as a 4-byte big-endian int, the key bytes, then the stored value bytes (the
   * encoded sibling set). An absent key contributes 0, so a write changes its leaf by
   * {@code entryHash(key, old) ^ entryHash(key, new)}, with 0 standing for "absent". A present
   * key that happens to hash to 0 (probability 2^-64) is indistinguishable from an absent one.
   */
  public static long entryHash(byte[] key, byte[] storedValue) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(storedValue, "storedValue");
    return MURMUR.newHasher(4 + key.length + storedValue.length)
        .putBytes(new byte[] {
            (byte) (key.length >>> 24), (byte) (key.length >>> 16),
            (byte) (key.length >>> 8), (byte) key.length}) // big-endian; Guava's putInt is LE
        .putBytes(key)
        .putBytes(storedValue)
        .hash()
        .asLong();
  }

  /** Returns {@code q} if it is a power of two in [1, 65536]; otherwise throws. */
  public static int validatePartitionCount(int q) {
    if (q < 1 || q > MAX_PARTITION_COUNT || Integer.bitCount(q) != 1) {
      throw new IllegalArgumentException(
          "partition count must be a power of two in [1, " + MAX_PARTITION_COUNT + "], got " + q);
    }
    return q;
  }

  /** The partition of a ring hash: its top {@code log2(Q)} bits. */
  public static int partitionOf(long ringHash, int partitionCount) {
    int pbits = partitionBits(partitionCount);
    return pbits == 0 ? 0 : (int) (ringHash >>> (64 - pbits));
  }

  /** The segment of a ring hash: the {@code log2(S)} bits right below the top log2(Q) bits. */
  public static int segmentOf(long ringHash, int partitionCount, TreeShape shape) {
    int pbits = partitionBits(partitionCount);
    int sbits = shape.segmentBits();
    return sbits == 0 ? 0 : (int) ((ringHash << pbits) >>> (64 - sbits));
  }

  /** The 8-byte big-endian prefix under which a key with this ring hash is stored. */
  public static byte[] prefix(long ringHash) {
    byte[] out = new byte[PREFIX_BYTES];
    for (int i = PREFIX_BYTES - 1; i >= 0; i--) {
      out[i] = (byte) ringHash;
      ringHash >>>= 8;
    }
    return out;
  }

  /** Inclusive lower bound of a partition's stored keys: the prefix of its first hash. */
  public static byte[] partitionStart(int partition, int partitionCount) {
    return bound(checkPartition(partition, partitionCount), partitionBits(partitionCount));
  }

  /** Exclusive upper bound of a partition's stored keys; null for the last partition. */
  public static byte[] partitionEnd(int partition, int partitionCount) {
    return bound(checkPartition(partition, partitionCount) + 1L, partitionBits(partitionCount));
  }

  /** Inclusive lower bound of a segment's stored keys: the prefix of its first hash. */
  public static byte[] segmentStart(
      int partition, int segment, int partitionCount, TreeShape shape) {
    return bound(segmentIndex(partition, segment, partitionCount, shape), totalBits(
        partitionCount, shape));
  }

  /**
   * Exclusive upper bound of a segment's stored keys (the start of the next segment, which may
   * be in the next partition); null for the last segment of the last partition, whose range runs
   * to the end of the hash space.
   */
  public static byte[] segmentEnd(int partition, int segment, int partitionCount, TreeShape shape) {
    return bound(segmentIndex(partition, segment, partitionCount, shape) + 1, totalBits(
        partitionCount, shape));
  }

  /** The prefix of the first hash of the {@code index}-th of 2^bits equal ranges; null at 2^bits. */
  private static byte[] bound(long index, int bits) {
    if (index == 1L << bits) {
      return null;
    }
    return prefix(bits == 0 ? 0 : index << (64 - bits));
  }

  private static long segmentIndex(int partition, int segment, int partitionCount, TreeShape s) {
    checkPartition(partition, partitionCount);
    s.checkSegment(segment);
    return ((long) partition << s.segmentBits()) | segment;
  }

  private static int totalBits(int partitionCount, TreeShape shape) {
    return partitionBits(partitionCount) + shape.segmentBits();
  }

  private static int partitionBits(int partitionCount) {
    return Integer.numberOfTrailingZeros(validatePartitionCount(partitionCount));
  }

  static int checkPartition(int partition, int partitionCount) {
    validatePartitionCount(partitionCount);
    if (partition < 0 || partition >= partitionCount) {
      throw new IllegalArgumentException(
          "partition " + partition + " out of range [0, " + partitionCount + ")");
    }
    return partition;
  }
}
