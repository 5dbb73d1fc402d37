package io.kvstore.lsm.internal;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.env.WritableFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable record of which tables are live, written as a whole snapshot to MANIFEST.tmp,
 * fsynced, and renamed over MANIFEST (then the directory is fsynced). A crash at any point leaves
 * either the old or the new manifest, never a mix: flushes and compactions are atomic. Layout in
 * lsm/src/main/java/io/kvstore/lsm/FORMAT.md. Immutable value plus static I/O helpers.
 */
public record Manifest(long nextFileNumber, long logNumber, long lastSeq, List<TableEntry> tables) {
  static final int MAGIC = 0x4b564d46; // "KVMF"
  static final int VERSION = 1;
  private static final int MAX_KEY = 1 << 20;

  /** One live table. */
  public record TableEntry(
      int level, long fileNumber, long fileSize, long entryCount, byte[] smallest, byte[] largest) {}

  /** The entries describing every table of a version. */
  public static List<TableEntry> entriesOf(Version v) {
    List<TableEntry> out = new ArrayList<>();
    for (int level = 0; level < Version.LEVELS; level++) {
      for (TableHandle t : v.level(level)) {
        out.add(
            new TableEntry(
                level, t.fileNumber(), t.fileSize(), t.entryCount(), t.smallest(), t.largest()));
      }
    }
    return List.copyOf(out);
  }

  public static Manifest empty() {
    return new Manifest(1, 0, 0, List.of());
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] b = new byte[8];
    Bytes.putInt(b, 0, MAGIC);
    Bytes.putInt(b, 4, VERSION);
    out.writeBytes(b);
    writeLong(out, nextFileNumber);
    writeLong(out, logNumber);
    writeLong(out, lastSeq);
    writeInt(out, tables.size());
    for (TableEntry t : tables) {
      out.write(t.level());
      writeLong(out, t.fileNumber());
      writeLong(out, t.fileSize());
      writeLong(out, t.entryCount());
      writeInt(out, t.smallest().length);
      out.writeBytes(t.smallest());
      writeInt(out, t.largest().length);
      out.writeBytes(t.largest());
    }
    byte[] body = out.toByteArray();
    writeInt(out, Crc32c.masked(body, 0, body.length));
    return out.toByteArray();
  }

  /**
   * Writes this manifest atomically as {@code dir}/MANIFEST. First makes the table directory's
   * entries durable, so a manifest never names a table whose directory entry a crash could lose.
   */
  public void writeTo(Env env, Path dir) throws IOException {
    env.syncDirectory(FileNames.tableDir(dir));
    Path tmp = FileNames.manifestTmp(dir);
    try (WritableFile f = env.newWritableFile(tmp)) {
      f.append(encode());
      f.sync();
    }
    env.renameAtomic(tmp, FileNames.manifest(dir));
    env.syncDirectory(dir);
  }

  /** Reads {@code dir}/MANIFEST; throws CorruptionException naming the offset of bad data. */
  public static Manifest readFrom(Env env, Path dir) throws IOException {
    Path path = FileNames.manifest(dir);
    byte[] data;
    try (ReadableFile f = env.newReadableFile(path)) {
      long size = f.size();
      if (size < 8 + 24 + 4 + 4 || size > Integer.MAX_VALUE) {
        throw new CorruptionException(path, 0, "manifest has impossible size " + size);
      }
      data = new byte[(int) size];
      f.readFully(0, data, 0, data.length);
    }
    return decode(path, data);
  }

  static Manifest decode(Path path, byte[] data) {
    int bodyLen = data.length - 4;
    int stored = Bytes.getInt(data, bodyLen);
    if (Crc32c.masked(data, 0, bodyLen) != stored) {
      throw new CorruptionException(path, bodyLen, "manifest checksum mismatch");
    }
    if (Bytes.getInt(data, 0) != MAGIC) {
      throw new CorruptionException(path, 0, "bad manifest magic");
    }
    int version = Bytes.getInt(data, 4);
    if (version != VERSION) {
      throw new CorruptionException(
          path, 4, "manifest format version " + version + " (this build reads " + VERSION + ")");
    }
    Cursor c = new Cursor(path, data, 8, bodyLen);
    long nextFile = c.readLong();
    long logNumber = c.readLong();
    long lastSeq = c.readLong();
    int count = c.readInt();
    if (count < 0) {
      throw new CorruptionException(path, c.pos - 4, "negative table count");
    }
    List<TableEntry> tables = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int level = c.readByte();
      if (level >= Version.LEVELS) {
        throw new CorruptionException(path, c.pos - 1, "bad level " + level);
      }
      long number = c.readLong();
      long size = c.readLong();
      long entries = c.readLong();
      byte[] smallest = c.readBytes();
      byte[] largest = c.readBytes();
      tables.add(new TableEntry(level, number, size, entries, smallest, largest));
    }
    if (c.pos != bodyLen) {
      throw new CorruptionException(path, c.pos, "trailing bytes in manifest");
    }
    return new Manifest(nextFile, logNumber, lastSeq, List.copyOf(tables));
  }

  private static void writeLong(ByteArrayOutputStream out, long v) {
    byte[] b = new byte[8];
    Bytes.putLong(b, 0, v);
    out.writeBytes(b);
  }

  private static void writeInt(ByteArrayOutputStream out, int v) {
    byte[] b = new byte[4];
    Bytes.putInt(b, 0, v);
    out.writeBytes(b);
  }

  private static final class Cursor {
    final Path path;
    final byte[] data;
    final int end;
    int pos;

    Cursor(Path path, byte[] data, int pos, int end) {
      this.path = path;
      this.data = data;
      this.pos = pos;
      this.end = end;
    }

    void need(int n) {
      if (n < 0 || pos + n > end) {
        throw new CorruptionException(path, pos, "manifest entry runs past the end");
      }
    }

    int readByte() {
      need(1);
      return data[pos++] & 0xff;
    }

    int readInt() {
      need(4);
      int v = Bytes.getInt(data, pos);
      pos += 4;
      return v;
    }

    long readLong() {
      need(8);
      long v = Bytes.getLong(data, pos);
      pos += 8;
      return v;
    }

    byte[] readBytes() {
      int len = readInt();
      if (len < 8 || len > MAX_KEY) {
        throw new CorruptionException(path, pos - 4, "bad key length " + len);
      }
      need(len);
      byte[] b = new byte[len];
      System.arraycopy(data, pos, b, 0, len);
      pos += len;
      return b;
    }
  }
}
