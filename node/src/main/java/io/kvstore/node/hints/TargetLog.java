package io.kvstore.node.hints;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * The segments of one target: what is on disk (for stats, readers and deletion) and the one
 * segment being appended to.
 *
 * <p>Thread safety: {@link #write}, {@link #sync} and {@link #closeActive} are called only by the
 * store's writer thread (they own {@code activeFile}); every other method may be called from any
 * thread. Segment metadata is guarded by this object's monitor; file I/O of the writer happens
 * outside it, so readers and deleters never wait for an fsync.
 *
 * <p>Invariants: the active segment is the newest and is never deleted; a reader of the active
 * segment is limited to its {@code synced} bytes; after an I/O failure the log refuses further
 * writes (the file's tail is unknown).
 */
final class TargetLog {
  /** One segment file. Fields guarded by the owning TargetLog's monitor. */
  static final class Segment {
    final long number;
    final Path path;
    long records;
    long bytes;
    long synced;
    long minCreated = Long.MAX_VALUE;
    long maxCreated = Long.MIN_VALUE;

    Segment(long number, Path path) {
      this.number = number;
      this.path = path;
    }

    void add(long created, long frameBytes) {
      records++;
      bytes += frameBytes;
      minCreated = Math.min(minCreated, created);
      maxCreated = Math.max(maxCreated, created);
    }
  }

  /** What a reader may read of one segment. */
  record View(long number, Path path, long limit) {}

  final NodeId target;
  private final Env env;
  private final Path dir;
  private final long segmentBytes;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private long nextNumber = 1;
  private Segment active;
  private WritableFile activeFile; // writer thread only
  private boolean activeDirSynced; // writer thread only
  private StorageIOException failure; // writer thread only

  TargetLog(NodeId target, Env env, Path dir, long segmentBytes) {
    this.target = target;
    this.env = env;
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  synchronized void recovered(Segment s) {
    segments.put(s.number, s);
    nextNumber = Math.max(nextNumber, s.number + 1);
  }

  /** Appends one framed record (not yet durable), rolling to a new segment at the size cap. */
  void write(byte[] frame, long created) {
    checkFailure();
    try {
      if (activeFile == null || active.bytes + frame.length > segmentBytes && active.records > 0) {
        roll();
      }
      activeFile.append(frame);
    } catch (IOException e) {
      throw fail("appending a hint for " + target.id(), e);
    }
    synchronized (this) {
      active.add(created, frame.length);
    }
  }

  /** Makes every write so far durable (and, once per segment, its directory entry). */
  void sync() {
    checkFailure();
    try {
      activeFile.sync();
      if (!activeDirSynced) {
        env.syncDirectory(dir);
        activeDirSynced = true;
      }
    } catch (IOException e) {
      throw fail("syncing hints for " + target.id(), e);
    }
    synchronized (this) {
      active.synced = active.bytes;
    }
  }

  private void roll() throws IOException {
    if (activeFile != null) {
      sync();
      closeActive();
    }
    Segment s;
    synchronized (this) {
      long n = nextNumber++;
      s = new Segment(n, dir.resolve(HintFiles.segmentName(target, n)));
    }
    byte[] header = HintFormat.encodeSegmentHeader(s.number, target);
    activeFile = env.newWritableFile(s.path);
    activeDirSynced = false;
    activeFile.append(header);
    s.bytes = header.length;
    synchronized (this) {
      segments.put(s.number, s);
      active = s;
    }
  }

  /** Closes the active file (already synced by the caller); the next write starts a segment. */
  void closeActive() throws IOException {
    if (activeFile != null) {
      activeFile.close();
      activeFile = null;
    }
    synchronized (this) {
      active = null;
    }
  }

  private void checkFailure() {
    if (failure != null) {
      throw new StorageIOException("hint log of " + target.id() + " failed earlier", failure);
    }
  }

  private StorageIOException fail(String what, IOException e) {
    failure = new StorageIOException(what, e);
    return failure;
  }

  /** The segments in order, each with how much of it a reader may read now. */
  synchronized List<View> views() {
    List<View> out = new ArrayList<>();
    for (Segment s : segments.values()) {
      out.add(new View(s.number, s.path, s == active ? s.synced : s.bytes));
    }
    return out;
  }

  synchronized HintStats stats() {
    long hints = 0;
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    for (Segment s : segments.values()) {
      hints += s.records;
      bytes += s.bytes;
      oldest = Math.min(oldest, s.minCreated);
    }
    return new HintStats(target, hints, bytes, oldest);
  }

  /** Deletes sealed segments that lie wholly before {@code p}; returns how many. */
  synchronized int deleteUpTo(HintPosition p) throws IOException {
    return deleteIf(s -> s.number < p.segment() || s.number == p.segment() && p.offset() >= s.bytes);
  }

  /** Deletes sealed segments whose every hint is older than {@code cutoff}; returns hints lost. */
  synchronized long dropOlderThan(long cutoffMillis) throws IOException {
    long[] lost = {0};
    deleteIf(
        s -> {
          boolean old = s.records > 0 && s.maxCreated < cutoffMillis;
          lost[0] += old ? s.records : 0;
          return old;
        });
    return lost[0];
  }

  private int deleteIf(java.util.function.Predicate<Segment> doomed) throws IOException {
    int n = 0;
    for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
      Segment s = it.next();
      if (s != active && doomed.test(s)) {
        env.delete(s.path);
        it.remove();
        n++;
      }
    }
    if (n > 0) {
      env.syncDirectory(dir);
    }
    return n;
  }
}
