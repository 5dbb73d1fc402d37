package io.kvstore.node.store;

import io.kvstore.lsm.env.Env;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The data directory's layout marker, {@code meta/layout} (FORMAT.md here): which layout the
 * engine's keys and values are in. {@link #check} runs before the engine opens, so a directory of
 * another layout is refused with a message, never misread.
 *
 * <p>Stateless; called once at start while the node holds its data directory.
 */
public final class LayoutFile {
  /** Layout 2: keys behind their ring-hash prefix ({@link KeyLayout}), sibling set format 2. */
  public static final int VERSION = 2;
  static final String NAME = "layout";
  /** "KVLY". */
  static final int MAGIC = 0x4B564C59;
  static final int SIZE = 9;
  /** What a layout-1 directory (before this file existed) holds, any of which means data. */
  private static final List<String> DATA = List.of("MANIFEST", "commitlog", "sstables", "hints");

  private LayoutFile() {}

  /**
   * Accepts a directory of layout {@link #VERSION}; marks a fresh one as such.
   *
   * @throws DataDirectoryException for an older or newer layout or an unreadable marker
   */
  public static void check(Env env, Path dataDir) throws IOException {
    Path file = dataDir.resolve("meta").resolve(NAME);
    byte[] b = AtomicFiles.read(env, file, 64);
    if (b == null) {
      for (String name : DATA) {
        Path p = dataDir.resolve(name);
        if (env.exists(p) && (name.equals("MANIFEST") || !env.list(p).isEmpty())) {
          throw new DataDirectoryException("data directory " + dataDir + " holds data in layout 1"
              + " (found " + name + " but no meta/" + NAME + "): it was written by a kvstore"
              + " before anti-entropy, whose keys lack the ring-hash prefix and whose tombstones"
              + " lack a time. This kvstore reads layout " + VERSION + " only. Move the directory"
              + " away and start the node with an empty one: its replicas send its data back"
              + " (kv repair --node <id>).");
        }
      }
      AtomicFiles.write(env, file, encode(VERSION));
      return;
    }
    int version = decode(file, b);
    if (version != VERSION) {
      throw new DataDirectoryException("data directory " + dataDir + " is in layout " + version
          + (version > VERSION ? ", written by a newer kvstore" : "") + "; this kvstore reads"
          + " layout " + VERSION + " only");
    }
  }

  static byte[] encode(int version) {
    byte[] b = new byte[SIZE];
    for (int i = 0; i < 4; i++) {
      b[i] = (byte) (MAGIC >>> (24 - 8 * i));
    }
    b[4] = (byte) version;
    int crc = crc(b, 5);
    for (int i = 0; i < 4; i++) {
      b[5 + i] = (byte) (crc >>> (24 - 8 * i));
    }
    return b;
  }

  private static int decode(Path file, byte[] b) {
    if (b.length != SIZE) {
      throw corrupt(file, Math.min(b.length, SIZE), "expected " + SIZE + " bytes, found " + b.length);
    }
    if (readInt(b, 0) != MAGIC) {
      throw corrupt(file, 0, String.format("bad magic %08x", readInt(b, 0)));
    }
    if (readInt(b, 5) != crc(b, 5)) {
      throw corrupt(file, 5, String.format("checksum mismatch: stored %08x, computed %08x",
          readInt(b, 5), crc(b, 5)));
    }
    return b[4] & 0xff;
  }

  private static DataDirectoryException corrupt(Path file, long offset, String reason) {
    return new DataDirectoryException(file + " is corrupt at offset " + offset + ": " + reason
        + ". If the directory is in layout " + VERSION + ", rewrite the file (node/store/FORMAT.md)");
  }

  private static int readInt(byte[] b, int at) {
    return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8)
        | (b[at + 3] & 0xff);
  }

  private static int crc(byte[] b, int len) {
    CRC32C c = new CRC32C();
    c.update(b, 0, len);
    return (int) c.getValue();
  }
}
