package io.kvstore.lsm.internal;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.Options;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.wal.LogReader;
import io.kvstore.lsm.wal.LogRecord;
import io.kvstore.lsm.wal.LogWriter;
import io.kvstore.lsm.wal.SyncStats;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Opens a store directory: reads the manifest, opens its tables, deletes orphans (tables no
 * manifest lists, a half-written MANIFEST.tmp), replays the commit-log segments the manifest still
 * needs into level-0 tables, truncates a torn tail of the last segment, starts a fresh segment,
 * and writes a new manifest. Once it returns, the old segments are gone and every record that was
 * in them is in a table. Corruption anywhere else fails the open with the file and offset.
 *
 * <p>Single use, single thread.
 */
public final class Recovery {
  private static final System.Logger LOG = System.getLogger(Recovery.class.getName());

  /** What the store starts from. The caller owns the tables' creator references. */
  public record State(
      Version version,
      List<TableHandle> opened,
      LogWriter log,
      long logNumber,
      long nextFileNumber,
      long lastSeq,
      long replayedRecords) {}

  private final Env env;
  private final Path dir;
  private final Options options;
  private final TableFactory tables;
  private final SyncStats logSyncs;
  private final List<TableHandle> opened = new ArrayList<>();
  private long nextFileNumber;
  private long lastSeq;
  private Version version = Version.empty();

  /** @param logSyncs counts the fsyncs of the new commit-log segment */
  public Recovery(Env env, Path dir, Options options, TableFactory tables, SyncStats logSyncs) {
    this.env = env;
    this.dir = dir;
    this.options = options;
    this.tables = tables;
    this.logSyncs = logSyncs;
  }

  public State run() throws IOException {
    boolean ok = false;
    try {
      Manifest manifest =
          env.exists(FileNames.manifest(dir)) ? Manifest.readFrom(env, dir) : Manifest.empty();
      env.delete(FileNames.manifestTmp(dir));
      nextFileNumber = manifest.nextFileNumber();
      lastSeq = manifest.lastSeq();
      openTables(manifest);
      List<Long> segments = liveSegments(manifest.logNumber());
      long records = replay(segments);
      long logNumber = nextFileNumber++;
      LogWriter log = LogWriter.create(env, FileNames.log(dir, logNumber), logNumber, logSyncs);
      log.sync();
      new Manifest(nextFileNumber, logNumber, lastSeq, Manifest.entriesOf(version)).writeTo(env, dir);
      for (long s : segments) {
        env.delete(FileNames.log(dir, s));
      }
      ok = true;
      return new State(version, opened, log, logNumber, nextFileNumber, lastSeq, records);
    } finally {
      if (!ok) {
        for (TableHandle t : opened) {
          t.unref();
        }
      }
    }
  }

  private void openTables(Manifest manifest) throws IOException {
    Set<Long> live = new HashSet<>();
    List<List<TableHandle>> byLevel = new ArrayList<>();
    for (int i = 0; i < Version.LEVELS; i++) {
      byLevel.add(new ArrayList<>());
    }
    for (Manifest.TableEntry e : manifest.tables()) {
      TableHandle t =
          tables.open(e.fileNumber(), e.fileSize(), e.entryCount(), e.smallest(), e.largest());
      opened.add(t);
      byLevel.get(e.level()).add(t);
      live.add(e.fileNumber());
    }
    for (int i = 0; i < Version.LEVELS; i++) {
      version = version.apply(List.of(), i, byLevel.get(i));
    }
    for (String name : env.list(FileNames.tableDir(dir))) {
      OptionalLong n = FileNames.parse(name, FileNames.TABLE_SUFFIX);
      if (n.isPresent()) {
        nextFileNumber = Math.max(nextFileNumber, n.getAsLong() + 1);
        if (!live.contains(n.getAsLong())) {
          LOG.log(Level.INFO, "deleting orphan table " + name + " (not in the manifest)");
          env.delete(FileNames.tableDir(dir).resolve(name));
        }
      }
    }
  }

  private List<Long> liveSegments(long minLogNumber) throws IOException {
    List<Long> segments = new ArrayList<>();
    for (String name : env.list(FileNames.logDir(dir))) {
      OptionalLong n = FileNames.parse(name, FileNames.LOG_SUFFIX);
      if (n.isEmpty()) {
        continue;
      }
      nextFileNumber = Math.max(nextFileNumber, n.getAsLong() + 1);
      if (n.getAsLong() >= minLogNumber) {
        segments.add(n.getAsLong());
      } else {
        env.delete(FileNames.logDir(dir).resolve(name));
      }
    }
    segments.sort(null);
    return segments;
  }

  private long replay(List<Long> segments) throws IOException {
    Memtable mem = new Memtable(0);
    long records = 0;
    long expected = -1;
    for (int i = 0; i < segments.size(); i++) {
      Path path = FileNames.log(dir, segments.get(i));
      boolean last = i == segments.size() - 1;
      try (LogReader reader = LogReader.open(env, path, last)) {
        LogRecord rec;
        while ((rec = reader.next()) != null) {
          records++;
          expected = applyRecord(path, rec, mem, expected) + 1;
          if (mem.approximateBytes() >= options.memtableBytes()) {
            flushReplayed(mem);
            mem = new Memtable(0);
          }
        }
        if (reader.tornTailOffset() >= 0) {
          LOG.log(
              Level.WARNING,
              "truncating torn tail of " + path + " at offset " + reader.tornTailOffset());
          env.truncate(path, reader.tornTailOffset());
        }
      }
    }
    flushReplayed(mem);
    return records;
  }

  /**
   * Applies one record, checking that its sequence numbers follow the previous record's; returns
   * its last sequence number.
   */
  private long applyRecord(Path path, LogRecord rec, Memtable mem, long expected) {
    try {
      long first = Bytes.getLong(rec.payload(), 0);
      if (expected >= 0 && first != expected) {
        throw new CorruptionException(
            path,
            rec.offset(),
            "sequence gap in the commit log: expected " + expected + ", found " + first);
      }
      long end = BatchCodec.decode(rec.payload(), mem::add);
      lastSeq = Math.max(lastSeq, end);
      return end;
    } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
      throw new CorruptionException(path, rec.offset(), "bad batch record: " + e.getMessage(), e);
    }
  }

  private void flushReplayed(Memtable mem) throws IOException {
    if (mem.isEmpty()) {
      return;
    }
    Compactor writer = new Compactor(tables, () -> nextFileNumber++, Long.MAX_VALUE, () -> false);
    try (InternalIterator it = mem.iterator()) {
      for (TableHandle t : writer.run(it, null, 0)) {
        opened.add(t);
        version = version.apply(List.of(), 0, List.of(t));
      }
    }
  }
}
