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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one target: what is on disk (for stats, readers and deletion), the one segment
 * being appended to, the target's checkpoint and the records it already counted as lost.
 *
 * <p>Thread safety: {@link #write}, {@link #sync}, {@link #sealIf} and {@link #closeActive} are
 * called only by the store's writer thread (they own {@code activeFile}); every other method may be
 * called from any thread. Segment metadata is guarded by this object's monitor; file I/O of the
 * writer happens outside it, so readers and deleters never wait for an fsync.
 *
 * <p>Invariants: the active segment is the newest and is never deleted (to delete it, the writer
 * first seals it: {@link #sealIf}); a reader of the active segment is limited to its {@code synced}
 * bytes; nothing is appended to a segment after a failed write or fsync in it: it is sealed at its
 * synced length and the next write starts a new segment. Segment numbers only grow, and exceed the
 * checkpoint's. The active segment and the checkpoint's segment keep a {@link RecordIndex}.
 */
final class TargetLog {
  private static final Logger log = LoggerFactory.getLogger(TargetLog.class);

  /** What a reader may read of one segment. */
  record View(long number, Path path, long limit) {}

  final NodeId target;
  /** Serializes checkpoint writes of this target (held across the file write). */
  final Object checkpointLock = new Object();
  private final Env env;
  private final Path dir;
  private final long segmentBytes;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final LossLedger ledger = new LossLedger();
  private long nextNumber = 1;
  private HintPosition checkpoint = HintPosition.START;
  private Segment active;
  private WritableFile activeFile; // writer thread only
  private boolean activeDirSynced; // writer thread only

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

  /** The checkpoint read at open; new segments are numbered after it even if its is deleted. */
  synchronized void recoveredCheckpoint(HintPosition p) {
    checkpoint = p;
    nextNumber = Math.max(nextNumber, p.segment() + 1);
  }

  // ---- the writer thread

  /** Appends one framed record (not yet durable), rolling to a new segment at the size cap. */
  void write(byte[] frame, long created) {
    try {
      if (activeFile == null || active.bytes + frame.length > segmentBytes && active.records > 0) {
        roll();
      }
      activeFile.append(frame);
    } catch (IOException e) {
      throw abandon("appending a hint", e);
    }
    synchronized (this) {
      long offset = active.bytes;
      active.bytes += frame.length;
      active.add(offset, frame.length, created);
    }
  }

  /** Makes every write so far durable (and, once per segment, its directory entry). */
  void sync() {
    if (activeFile == null) {
      return;
    }
    try {
      activeFile.sync();
      if (!activeDirSynced) {
        env.syncDirectory(dir);
        activeDirSynced = true;
      }
    } catch (IOException e) {
      throw abandon("syncing hints", e);
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
    WritableFile f = env.newWritableFile(s.path);
    try {
      f.append(header);
    } catch (IOException e) {
      closeQuietly(f);
      deleteQuietly(s.path);
      throw e;
    }
    activeFile = f;
    activeDirSynced = false;
    s.bytes = header.length;
    s.index = new RecordIndex();
    synchronized (this) {
      segments.put(s.number, s);
      active = s;
    }
  }

  /**
   * After a failed write or fsync, the tail of the active file is unknown: stop using it. It is
   * sealed at its synced length (dropped if nothing in it was durable); the next write starts a new
   * segment.
   */
  private StorageIOException abandon(String what, IOException e) {
    StorageIOException failure = new StorageIOException(what + " for " + target.id(), e);
    closeQuietly(activeFile);
    activeFile = null;
    Segment s;
    boolean empty;
    synchronized (this) {
      s = active;
      active = null;
      if (s == null) {
        return failure;
      }
      empty = s.synced <= HintFormat.segmentHeaderSize(target);
      if (empty) {
        segments.remove(s.number);
      } else {
        s.truncate(s.synced);
        sealed(s);
      }
    }
    log.warn("event=hint_log_failed target={} file={} synced={} action=\"{}\" error=\"{}\"",
        target.id(), s.path, s.synced, empty ? "segment dropped" : "segment sealed", e.toString());
    if (empty) {
      deleteQuietly(s.path);
    }
    return failure;
  }

  /** Seals the active segment if {@code test} holds for it; the next write starts a new one. */
  boolean sealIf(Predicate<Segment> test) {
    synchronized (this) {
      if (active == null || activeFile == null || !test.test(active)) {
        return false;
      }
    }
    try {
      closeActive();
    } catch (IOException e) {
      log.warn("event=hint_segment_close_failed target={} error=\"{}\"", target.id(), e.toString());
    }
    return true;
  }

  /** Closes the active file (already synced); the next write starts a segment. */
  void closeActive() throws IOException {
    WritableFile f = activeFile;
    activeFile = null;
    synchronized (this) {
      if (active != null) {
        sealed(active);
        active = null;
      }
    }
    if (f != null) {
      f.close();
    }
  }

  private void sealed(Segment s) {
    if (s.number != checkpoint.segment()) {
      s.index = null;
    }
  }

  // ---- any thread

  /**
   * The segments in order, each with how much of it a reader may read now. A new active segment
   * with nothing fsynced yet is left out: its header alone would read as a torn one.
   */
  synchronized List<View> views() {
    List<View> out = new ArrayList<>();
    for (Segment s : segments.values()) {
      if (s == active && s.synced == 0) {
        continue;
      }
      out.add(new View(s.number, s.path, s == active ? s.synced : s.bytes));
    }
    return out;
  }

  /** The durable records at or after the checkpoint. */
  synchronized HintStats stats() {
    RecordIndex.Tally t = RecordIndex.Tally.ZERO;
    for (Segment s : segments.tailMap(checkpoint.segment(), true).values()) {
      t = t.plus(undelivered(s));
    }
    return new HintStats(target, t.hints(), t.bytes(), t.oldestCreatedMillis());
  }

  /**
   * The durable records of {@code s} at or after the checkpoint. Exact, except for a sealed
   * checkpoint segment whose index could not be read: then all its records.
   */
  private RecordIndex.Tally undelivered(Segment s) {
    if (s.number < checkpoint.segment()) {
      return RecordIndex.Tally.ZERO;
    }
    long from = s.number == checkpoint.segment() ? checkpoint.offset() : 0;
    return s.tally(from, s == active ? s.synced : Long.MAX_VALUE);
  }

  synchronized HintPosition checkpoint() {
    return checkpoint;
  }

  /**
   * Moves the checkpoint. Returns the sealed segment it now lies in if that segment has no index
   * (the caller reads one and {@link #installIndex installs} it), else null.
   */
  synchronized Segment setCheckpoint(HintPosition p) {
    Segment old = segments.get(checkpoint.segment());
    checkpoint = p;
    if (old != null && old != active && old.number != p.segment()) {
      old.index = null;
    }
    Segment s = segments.get(p.segment());
    return s != null && s != active && s.index == null ? s : null;
  }

  synchronized void installIndex(Segment s, RecordIndex index) {
    if (segments.get(s.number) == s && checkpoint.segment() == s.number && s.index == null) {
      s.index = index;
    }
  }

  /** Notes a lost record; true if it was not counted before. */
  synchronized boolean firstLoss(HintPosition at, LossLedger.Loss loss) {
    return ledger.first(at, loss);
  }

  /** True if {@code p} is at or past the end of the active segment: all of it was read. */
  synchronized boolean activeEndsBy(HintPosition p) {
    return active != null && p.segment() == active.number && p.offset() >= active.bytes;
  }

  /** True if the active segment has hints and all are older than {@code cutoffMillis}. */
  synchronized boolean activeOlderThan(long cutoffMillis) {
    return active != null && active.records > 0 && active.maxCreated < cutoffMillis;
  }

  /** Deletes sealed segments that lie wholly before {@code p}; returns how many. */
  synchronized int deleteUpTo(HintPosition p) throws IOException {
    return deleteIf(s -> s.number < p.segment() || s.number == p.segment() && p.offset() >= s.bytes);
  }

  /**
   * Deletes sealed segments whose every hint is older than {@code cutoffMillis}; returns how many
   * undelivered hints they held that were not already counted as expired.
   */
  synchronized long dropOlderThan(long cutoffMillis) throws IOException {
    long[] lost = {0};
    deleteIf(
        s -> {
          boolean old = s.records > 0 && s.maxCreated < cutoffMillis;
          if (old) {
            long from = s.number == checkpoint.segment() ? checkpoint.offset() : 0;
            long counted = ledger.expiredIn(s.number, from);
            lost[0] += Math.max(0, undelivered(s).hints() - counted);
          }
          return old;
        });
    return lost[0];
  }

  private int deleteIf(Predicate<Segment> doomed) throws IOException {
    int n = 0;
    for (Iterator<Segment> it = segments.values().iterator(); it.hasNext(); ) {
      Segment s = it.next();
      if (s != active && doomed.test(s)) {
        env.delete(s.path);
        it.remove();
        ledger.forgetSegment(s.number);
        n++;
      }
    }
    if (n > 0) {
      env.syncDirectory(dir);
    }
    return n;
  }

  private void deleteQuietly(Path p) {
    try {
      env.delete(p);
    } catch (IOException e) {
      log.warn("event=hint_segment_delete_failed target={} file={} error=\"{}\"", target.id(), p,
          e.toString());
    }
  }

  private static void closeQuietly(WritableFile f) {
    if (f == null) {
      return;
    }
    try {
      f.close();
    } catch (IOException e) {
      // the file is abandoned: its failure was reported already
    }
  }
}
