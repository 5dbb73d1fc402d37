package io.kvstore.node.versioning;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Persists the node's incarnation in {@code <metaDir>/incarnation} so that every start of the node
 * gets a new {@link Actor} and can never issue a dot it issued before (VERSIONING.md, "Actor
 * identity"; Riak KV679). Layout and operator procedures are in FORMAT.md.
 *
 * <p>{@link #nextIncarnation} returns a value only after it is durable (temp file fsynced,
 * atomically renamed over the old file, directory fsynced). A crash at any point before that
 * leaves the previous file in place; the value the crashed call would have returned was never
 * handed out, so reusing it is safe.
 *
 * <p>An unreadable file is never treated as absent: restarting at 1 would reuse actors. It fails
 * with a {@link CorruptionException} naming the file, and the file is left untouched.
 *
 * <p>Thread safety: stateless, but calls on one directory must not overlap (the node calls it
 * once at start, while it holds its data directory).
 */
public final class IncarnationStore {
  public static final String FILE_NAME = "incarnation";
  static final String TEMP_NAME = "incarnation.tmp";
  /** "KVIN". */
  static final int MAGIC = 0x4B56494E;
  static final int VERSION = 1;
  /** magic(4) version(1) incarnation(8) crc(4). */
  static final int FILE_SIZE = 17;

  private IncarnationStore() {}

  /** {@link #nextIncarnation(Env, Path, long)} without a floor: previous + 1. */
  public static long nextIncarnation(Env env, Path metaDir) {
    return nextIncarnation(env, metaDir, 0);
  }

  /**
   * Reads the previous incarnation (0 if the file is absent), durably stores {@code max(previous
   * + 1, floor)} and returns it. The node passes the wall clock in ms as the floor, so a wiped
   * {@code meta/} or an old copy of it restored from a backup still yields an incarnation above
   * every one this node id used before (as long as the clock did not go back past them): data
   * loss starts a new actor epoch, never a reused one (Riak KV679).
   *
   * @throws CorruptionException if the file exists but is unreadable (size, magic, version, CRC)
   * @throws StorageIOException if reading, writing or syncing fails
   */
  public static long nextIncarnation(Env env, Path metaDir, long floor) {
    Path file = metaDir.resolve(FILE_NAME);
    try {
      ensureDirectory(env, metaDir);
      long previous = env.exists(file) ? read(env, file) : 0;
      if (previous == Long.MAX_VALUE) {
        throw new CorruptionException(file, 5, "incarnation exhausted at Long.MAX_VALUE");
      }
      long next = Math.max(previous + 1, floor);
      write(env, metaDir, next);
      return next;
    } catch (IOException e) {
      throw new StorageIOException("cannot advance incarnation in " + file, e);
    }
  }

  /** The last stored incarnation, 0 if none; does not advance it. */
  public static long current(Env env, Path metaDir) {
    Path file = metaDir.resolve(FILE_NAME);
    try {
      return env.exists(file) ? read(env, file) : 0;
    } catch (IOException e) {
      throw new StorageIOException("cannot read incarnation from " + file, e);
    }
  }

  static byte[] encode(long incarnation) {
    ByteWriter out = new ByteWriter(FILE_SIZE);
    out.i32(MAGIC);
    out.u8(VERSION);
    out.i64(incarnation);
    out.crc32cFooter();
    return out.toByteArray();
  }

  private static long read(Env env, Path file) throws IOException {
    byte[] b = new byte[FILE_SIZE];
    try (ReadableFile f = env.newReadableFile(file)) {
      long size = f.size();
      if (size != FILE_SIZE) {
        throw new CorruptionException(
            file, Math.min(size, FILE_SIZE), "expected " + FILE_SIZE + " bytes, found " + size);
      }
      f.readFully(0, b, 0, FILE_SIZE);
    }
    ByteReader in = new ByteReader(b, 0, FILE_SIZE, "incarnation file");
    int magic = in.i32();
    if (magic != MAGIC) {
      throw new CorruptionException(file, 0, String.format("bad magic %08x", magic));
    }
    int version = in.u8();
    if (version != VERSION) {
      throw new CorruptionException(
          file, 4, "unsupported version " + version + " (this reader knows " + VERSION + ")");
    }
    long incarnation = in.i64();
    int stored = in.i32();
    int actual = ByteWriter.crc32c(b, 0, FILE_SIZE - 4);
    if (stored != actual) {
      throw new CorruptionException(
          file,
          FILE_SIZE - 4,
          String.format("checksum mismatch: stored %08x, computed %08x", stored, actual));
    }
    if (incarnation < 1) {
      throw new CorruptionException(file, 5, "incarnation " + incarnation + " < 1");
    }
    return incarnation;
  }

  private static void write(Env env, Path metaDir, long incarnation) throws IOException {
    Path temp = metaDir.resolve(TEMP_NAME);
    try (WritableFile f = env.newWritableFile(temp)) {
      f.append(encode(incarnation));
      f.sync();
    }
    env.renameAtomic(temp, metaDir.resolve(FILE_NAME));
    env.syncDirectory(metaDir);
  }

  /** Creates the directory if needed and makes its entry in the parent durable. */
  private static void ensureDirectory(Env env, Path dir) throws IOException {
    if (env.exists(dir)) {
      return;
    }
    env.createDirectories(dir);
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      env.syncDirectory(parent);
    }
  }
}
