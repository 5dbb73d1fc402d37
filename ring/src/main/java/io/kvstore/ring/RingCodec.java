package io.kvstore.ring;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes a {@link Ring} to the byte layout of FORMAT.md and back.
 *
 * <p>Stateless; thread-safe. The decoder checks, in order, size, magic, version, declared length
 * and CRC32C before it interprets any field, then validates every field; it never returns a ring
 * that breaks a {@link Ring} invariant, and it reports the first problem found as an
 * IllegalArgumentException whose message names it.
 */
final class RingCodec {
  static final int MAGIC = 0x4B565247; // "KVRG"
  static final byte VERSION = 1;
  static final int HEADER_SIZE = 4 + 1 + 4 + 8 + 4 + 4;
  static final int CRC_SIZE = 4;

  private RingCodec() {}

  static byte[] encode(Ring ring) {
    List<NodeId> nodes = new ArrayList<>(ring.members());
    Map<NodeId, Integer> index = new HashMap<>();
    int idBytes = 0;
    for (NodeId n : nodes) {
      index.put(n, index.size());
      idBytes += 1 + utf8(n).length;
    }
    int width = indexWidth(nodes.size());
    int total = HEADER_SIZE + idBytes + ring.partitionCount() * width + CRC_SIZE;
    ByteBuffer out = ByteBuffer.allocate(total); // big-endian
    out.putInt(MAGIC).put(VERSION).putInt(total).putLong(ring.epoch());
    out.putInt(ring.partitionCount()).putInt(nodes.size());
    for (NodeId n : nodes) {
      byte[] b = utf8(n);
      out.put((byte) b.length).put(b);
    }
    for (NodeId owner : ring.owners()) {
      int i = index.get(owner);
      if (width == 1) {
        out.put((byte) i);
      } else {
        out.putShort((short) i);
      }
    }
    out.putInt(crc(out.array(), total - CRC_SIZE));
    return out.array();
  }

  static Ring decode(byte[] bytes) {
    checkFraming(bytes);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - CRC_SIZE);
    in.position(9);
    try {
      long epoch = in.getLong();
      if (epoch < 0) {
        throw bad("negative epoch " + epoch);
      }
      int q = in.getInt();
      if (q < 1 || q > Partitioner.MAX_PARTITION_COUNT || Integer.bitCount(q) != 1) {
        throw bad("partition count " + q + " is not a power of two in [1, 65536]");
      }
      int s = in.getInt();
      if (s < 1 || s > q) {
        throw bad("node count " + s + " outside [1, partition count " + q + "]");
      }
      List<NodeId> nodes = readNodes(in, s);
      List<NodeId> owners = readOwners(in, q, nodes);
      if (in.hasRemaining()) {
        throw bad(in.remaining() + " unexpected bytes before the checksum, at offset "
            + in.position());
      }
      return Ring.fromAssignment(epoch, owners);
    } catch (BufferUnderflowException e) {
      throw bad("fields run past the end of the data (at offset " + in.position() + ")");
    }
  }

  private static void checkFraming(byte[] bytes) {
    if (bytes.length < HEADER_SIZE + CRC_SIZE) {
      throw bad("truncated: " + bytes.length + " bytes, a ring needs at least "
          + (HEADER_SIZE + CRC_SIZE));
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw bad(String.format("bad magic 0x%08x, expected 0x%08x (\"KVRG\")", magic, MAGIC));
    }
    byte version = in.get();
    if (version != VERSION) {
      throw bad("unsupported format version " + version + ", this reader knows " + VERSION);
    }
    long declared = Integer.toUnsignedLong(in.getInt());
    if (declared > bytes.length) {
      throw bad("truncated: header declares " + declared + " bytes, got " + bytes.length);
    }
    if (declared < bytes.length) {
      throw bad("trailing bytes: header declares " + declared + " bytes, got " + bytes.length);
    }
    int stored = ByteBuffer.wrap(bytes, bytes.length - CRC_SIZE, CRC_SIZE).getInt();
    int computed = crc(bytes, bytes.length - CRC_SIZE);
    if (stored != computed) {
      throw bad(String.format("checksum mismatch: stored crc32c 0x%08x, computed 0x%08x",
          stored, computed));
    }
  }

  private static List<NodeId> readNodes(ByteBuffer in, int s) {
    List<NodeId> nodes = new ArrayList<>(s);
    for (int i = 0; i < s; i++) {
      int len = Byte.toUnsignedInt(in.get());
      byte[] b = new byte[len];
      in.get(b);
      NodeId id;
      try {
        id = new NodeId(StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(ByteBuffer.wrap(b)).toString());
      } catch (CharacterCodingException | IllegalArgumentException e) {
        throw bad("node id #" + i + " is invalid: " + e.getMessage());
      }
      if (i > 0 && nodes.get(i - 1).compareTo(id) >= 0) {
        throw bad("node ids not strictly ascending at #" + i + " (" + id + ")");
      }
      nodes.add(id);
    }
    return nodes;
  }

  private static List<NodeId> readOwners(ByteBuffer in, int q, List<NodeId> nodes) {
    int width = indexWidth(nodes.size());
    boolean[] used = new boolean[nodes.size()];
    List<NodeId> owners = new ArrayList<>(q);
    for (int p = 0; p < q; p++) {
      int i = width == 1 ? Byte.toUnsignedInt(in.get()) : Short.toUnsignedInt(in.getShort());
      if (i >= nodes.size()) {
        throw bad("owner index " + i + " of partition " + p + " >= node count " + nodes.size());
      }
      used[i] = true;
      owners.add(nodes.get(i));
    }
    for (int i = 0; i < used.length; i++) {
      if (!used[i]) {
        throw bad("node " + nodes.get(i) + " owns no partition");
      }
    }
    return owners;
  }

  static int indexWidth(int nodeCount) {
    return nodeCount <= 256 ? 1 : 2;
  }

  private static byte[] utf8(NodeId n) {
    return n.id().getBytes(StandardCharsets.UTF_8);
  }

  private static int crc(byte[] data, int length) {
    CRC32C c = new CRC32C();
    c.update(data, 0, length);
    return (int) c.getValue();
  }

  private static IllegalArgumentException bad(String reason) {
    return new IllegalArgumentException("malformed ring encoding: " + reason);
  }
}
