package io.kvstore.node.handoff;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The targets that lost hints (expired, corrupt or torn) and so need anti-entropy, kept in one
 * small file (FORMAT.md beside this file) so that the flag survives restarts. A new version is
 * written to {@code <file>.tmp}, fsynced, renamed over the file and the directory fsynced: a crash
 * leaves the old set or the new one (through the {@link Env}, as the hint store's checkpoints).
 * A damaged file is detected (size, magic, version, CRC) and reported by {@link #load}, never
 * thrown.
 *
 * <p>Thread safe (synchronized; the file I/O too: it is rare and small).
 */
final class RepairFlags {
  static final int MAGIC = 0x4B565246; // "KVRF"
  static final int VERSION = 1;
  /** magic (4) + version (4) + count (4); each id: length (2) + bytes; then CRC (4). */
  private static final int FIXED = 16;

  private final Env env;
  private final Path file;
  private final TreeSet<NodeId> flagged = new TreeSet<>();
  private boolean dirty;

  RepairFlags(Env env, Path file) {
    this.env = env;
    this.file = file;
  }

  /**
   * Reads the file into the set. Returns null if it is sound or absent, else what is wrong with it
   * (the set is then left empty: the caller decides what to assume).
   */
  synchronized String load() throws IOException {
    if (!env.exists(file)) {
      return null;
    }
    byte[] b;
    try (ReadableFile in = env.newReadableFile(file)) {
      b = new byte[Math.toIntExact(in.size())];
      in.readFully(0, b, 0, b.length);
    }
    try {
      flagged.addAll(decode(b));
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  synchronized boolean add(NodeId target) {
    boolean added = flagged.add(target);
    dirty |= added;
    return added;
  }

  synchronized void addAll(Collection<NodeId> targets) {
    dirty |= flagged.addAll(targets);
  }

  synchronized boolean remove(NodeId target) {
    boolean removed = flagged.remove(target);
    dirty |= removed;
    return removed;
  }

  synchronized boolean contains(NodeId target) {
    return flagged.contains(target);
  }

  synchronized Set<NodeId> snapshot() {
    return Set.copyOf(flagged);
  }

  /** Writes the set if it changed since the last successful write. */
  synchronized void persist() throws IOException {
    if (!dirty) {
      return;
    }
    Path dir = file.toAbsolutePath().getParent();
    env.createDirectories(dir);
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (WritableFile out = env.newWritableFile(temp)) {
      out.append(encode(flagged));
      out.sync();
    }
    env.renameAtomic(temp, file);
    env.syncDirectory(dir);
    dirty = false;
  }

  static byte[] encode(Collection<NodeId> ids) {
    int size = FIXED;
    for (NodeId id : ids) {
      size += 2 + utf8(id).length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(MAGIC).putInt(VERSION).putInt(ids.size());
    for (NodeId id : ids) {
      byte[] u = utf8(id);
      b.putShort((short) u.length).put(u);
    }
    b.putInt(Crc32c.masked(b.array(), 0, size - 4));
    return b.array();
  }

  /** The ids in a flag file's bytes; throws IllegalArgumentException saying what is wrong. */
  static Set<NodeId> decode(byte[] f) {
    if (f.length < FIXED) {
      throw new IllegalArgumentException("flag file of " + f.length + " bytes is too short");
    }
    ByteBuffer b = ByteBuffer.wrap(f);
    if (b.getInt(0) != MAGIC) {
      throw new IllegalArgumentException(String.format("bad magic 0x%08x", b.getInt(0)));
    }
    if (b.getInt(f.length - 4) != Crc32c.masked(f, 0, f.length - 4)) {
      throw new IllegalArgumentException("flag file checksum mismatch");
    }
    if (b.getInt(4) != VERSION) {
      throw new IllegalArgumentException("unsupported flag file version " + b.getInt(4));
    }
    try {
      b.position(8);
      int n = b.getInt();
      Set<NodeId> ids = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        byte[] u = new byte[b.getShort() & 0xffff];
        b.get(u);
        ids.add(NodeId.of(new String(u, StandardCharsets.UTF_8)));
      }
      if (b.position() != f.length - 4 || n < 0) {
        throw new IllegalArgumentException("flag file entries do not fill it exactly");
      }
      return ids;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("flag file entries run past its end", e);
    }
  }

  private static byte[] utf8(NodeId id) {
    return id.id().getBytes(StandardCharsets.UTF_8);
  }
}
