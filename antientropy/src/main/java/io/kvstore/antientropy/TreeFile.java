package io.kvstore.antientropy;

import static io.kvstore.antientropy.TreeFileException.Reason.BAD_MAGIC;
import static io.kvstore.antientropy.TreeFileException.Reason.CHECKSUM_MISMATCH;
import static io.kvstore.antientropy.TreeFileException.Reason.MALFORMED;
import static io.kvstore.antientropy.TreeFileException.Reason.TOO_NEW;
import static io.kvstore.antientropy.TreeFileException.Reason.TOO_OLD;
import static io.kvstore.antientropy.TreeFileException.Reason.TRAILING_BYTES;
import static io.kvstore.antientropy.TreeFileException.Reason.TRUNCATED;

import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Encodes a node's hash trees (partition -> {@link PartitionTree}, with the partition count and
 * {@link TreeShape} they were built for) to the byte layout of FORMAT.md, and back. Pure bytes:
 * the node writes and reads the file through its own Env.
 *
 * <p>Stateless; thread-safe. The decoder checks magic, framing (length), CRC-32C and version
 * before it interprets any field, then validates every field; it returns nothing unless all
 * checks pass, and reports the first failure as a {@link TreeFileException} naming offset and
 * reason. Only leaves are stored: branches and roots follow from them.
 */
public final class TreeFile {
  /** {@code KVAE}. */
  public static final int MAGIC = 0x4B564145;
  /** The version this writer writes and the only one this reader reads. */
  public static final int VERSION = 1;
  static final int OLDEST_READABLE_VERSION = 1;
  static final int HEADER_SIZE = 28;
  static final int CRC_SIZE = 4;
  /** Magic, version and length: the prefix every version keeps. */
  static final int FRAME_SIZE = 12;

  /** What a tree file holds. {@code trees} is sorted by partition and unmodifiable. */
  public record Contents(
      int partitionCount, TreeShape shape, SortedMap<Integer, PartitionTree> trees) {}

  private TreeFile() {}

  /**
   * Encodes built trees. Throws IllegalArgumentException if a tree is not built, has another
   * shape, or is keyed by a partition outside [0, partitionCount), or if the file would exceed
   * 2 GiB.
   */
  public static byte[] encode(
      int partitionCount, TreeShape shape, Map<Integer, PartitionTree> trees) {
    KeyHashes.validatePartitionCount(partitionCount);
    Objects.requireNonNull(shape, "shape");
    SortedMap<Integer, long[]> leaves = new TreeMap<>();
    for (Map.Entry<Integer, PartitionTree> e : trees.entrySet()) {
      int p = KeyHashes.checkPartition(e.getKey(), partitionCount);
      PartitionTree t = e.getValue();
      if (!t.shape().equals(shape)) {
        throw new IllegalArgumentException(
            "tree of partition " + p + " has shape " + t.shape() + ", the file " + shape);
      }
      if (!t.built()) {
        throw new IllegalArgumentException("tree of partition " + p + " is not built");
      }
      leaves.put(p, t.leaves());
    }
    long size = expectedLength(leaves.size(), shape.segments());
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a tree file of " + size + " bytes is too large");
    }
    ByteBuffer out = ByteBuffer.allocate((int) size); // big-endian
    out.putInt(MAGIC).putInt(VERSION).putInt((int) size);
    out.putInt(partitionCount).putInt(shape.segments()).putInt(shape.fanout());
    out.putInt(leaves.size());
    for (Map.Entry<Integer, long[]> e : leaves.entrySet()) {
      out.putInt(e.getKey());
      for (long leaf : e.getValue()) {
        out.putLong(leaf);
      }
    }
    out.putInt(crc(out.array(), out.position()));
    return out.array();
  }

  /** Decodes a tree file; see FORMAT.md for the checks and their order. */
  public static Contents decode(byte[] bytes) throws TreeFileException {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer in = ByteBuffer.wrap(bytes);
    checkFrame(in);
    int q = in.getInt(12);
    int segments = in.getInt(16);
    int fanout = in.getInt(20);
    int count = in.getInt(24);
    TreeShape shape = readShape(q, segments, fanout);
    if (count < 0 || count > q) {
      throw new TreeFileException(MALFORMED, 24, "tree count " + count + " outside [0, " + q + "]");
    }
    if (expectedLength(count, segments) != bytes.length) {
      throw new TreeFileException(MALFORMED, 8, "length " + bytes.length + " does not match "
          + count + " trees of " + segments + " segments ("
          + expectedLength(count, segments) + " bytes)");
    }
    SortedMap<Integer, PartitionTree> trees = new TreeMap<>();
    int pos = HEADER_SIZE;
    int previous = -1;
    for (int i = 0; i < count; i++) {
      int p = in.getInt(pos);
      if (p <= previous || p >= q) {
        throw new TreeFileException(MALFORMED, pos, "partition " + p + " of tree #" + i
            + (p >= q ? " >= partition count " + q : " not above the previous " + previous));
      }
      long[] leaves = new long[segments];
      for (int s = 0; s < segments; s++) {
        leaves[s] = in.getLong(pos + 4 + 8 * s);
      }
      trees.put(p, PartitionTree.of(shape, leaves));
      previous = p;
      pos += 4 + 8 * segments;
    }
    return new Contents(q, shape, Collections.unmodifiableSortedMap(trees));
  }

  /** Magic, length against the bytes supplied, CRC, then version: the order of FORMAT.md. */
  private static void checkFrame(ByteBuffer in) throws TreeFileException {
    int n = in.limit();
    if (n < 4) {
      throw new TreeFileException(TRUNCATED, n, n + " bytes, the magic alone needs 4");
    }
    int magic = in.getInt(0);
    if (magic != MAGIC) {
      throw new TreeFileException(BAD_MAGIC, 0,
          String.format("bad magic 0x%08x, expected 0x%08x (\"KVAE\")", magic, MAGIC));
    }
    if (n < FRAME_SIZE) {
      throw new TreeFileException(TRUNCATED, n, n + " bytes, the header needs " + HEADER_SIZE);
    }
    long declared = Integer.toUnsignedLong(in.getInt(8));
    if (declared > n) {
      throw new TreeFileException(TRUNCATED, n, "declared length " + declared + ", got " + n);
    }
    if (declared < n) {
      throw new TreeFileException(TRAILING_BYTES, declared,
          n - declared + " bytes after the declared length " + declared);
    }
    if (n < FRAME_SIZE + CRC_SIZE) {
      throw new TreeFileException(MALFORMED, 8, "declared length " + n + " leaves no room for "
          + "the checksum");
    }
    int stored = in.getInt(n - CRC_SIZE);
    int computed = crc(in.array(), n - CRC_SIZE);
    if (stored != computed) {
      throw new TreeFileException(CHECKSUM_MISMATCH, n - CRC_SIZE, String.format(
          "checksum mismatch: stored crc32c 0x%08x, computed 0x%08x", stored, computed));
    }
    checkVersion(in.getInt(4));
    if (n < HEADER_SIZE + CRC_SIZE) {
      throw new TreeFileException(MALFORMED, 8, "length " + n + " is below the minimum "
          + (HEADER_SIZE + CRC_SIZE));
    }
  }

  private static void checkVersion(int version) throws TreeFileException {
    String supported = " (this reader supports " + OLDEST_READABLE_VERSION + " to " + VERSION + ")";
    if (Integer.compareUnsigned(version, VERSION) > 0) {
      throw new TreeFileException(TOO_NEW, 4,
          "format version " + Integer.toUnsignedString(version) + " is too new" + supported);
    }
    if (version < OLDEST_READABLE_VERSION) {
      throw new TreeFileException(TOO_OLD, 4,
          "format version " + version + " is too old" + supported);
    }
  }

  private static TreeShape readShape(int q, int segments, int fanout) throws TreeFileException {
    try {
      KeyHashes.validatePartitionCount(q);
    } catch (IllegalArgumentException e) {
      throw new TreeFileException(MALFORMED, 12, e.getMessage());
    }
    try {
      return new TreeShape(segments, fanout);
    } catch (IllegalArgumentException e) {
      throw new TreeFileException(MALFORMED, 16, e.getMessage());
    }
  }

  private static long expectedLength(int count, int segments) {
    return HEADER_SIZE + (long) count * (4 + 8L * segments) + CRC_SIZE;
  }

  private static int crc(byte[] data, int length) {
    CRC32C c = new CRC32C();
    c.update(data, 0, length);
    return (int) c.getValue();
  }
}
