package io.kvstore.node.hints;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.Env;
import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable hint store (DESIGN.md section 6): under one directory, an append-only segment log
 * per target node, a replay checkpoint per target, expiry and stats. Format: FORMAT.md.
 *
 * <p>Durability and group commit: {@link #append} queues the record and returns a future that
 * completes only after the record is fsynced. The store <b>owns</b> one writer thread (started by
 * {@link #open}, stopped by {@link #close}); it takes every queued append at once, writes each
 * target's records and fsyncs each touched target once, so concurrent appends share an fsync.
 * Sealing a target's active segment (to delete it once delivered or expired) is queued to the same
 * thread, in order with the appends, so no append can land in a segment being deleted.
 *
 * <p>Thread safety: every public method may be called from any thread. Opening a store scans all
 * segments; corruption found there is counted and reported ({@link #problems}), never thrown. A
 * store never appends to a segment it did not create: each open starts new segments, so nothing
 * that was fsynced is ever truncated. A failed write or fsync seals the segment at its last fsynced
 * byte; the next append starts a new one.
 */
public final class HintStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HintStore.class);
  public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;

  private sealed interface Task {}

  private record Append(TargetLog log, byte[] frame, long created, CompletableFuture<Void> done)
      implements Task {}

  private record Control(Runnable run) implements Task {}

  private static final Control STOP = new Control(() -> {});

  private final Env env;
  private final Path dir;
  private final Clock clock;
  private final long segmentBytes;
  private final Map<NodeId, TargetLog> logs = new TreeMap<>(); // guarded by this
  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Object appendLock = new Object();
  private final ReadReport openReport = new ReadReport(ReadReport.Sink.QUIET);
  private final Thread writer;
  private long corrupt; // guarded by this
  private long torn; // guarded by this
  private long expired; // guarded by this
  private boolean closed; // guarded by appendLock

  private HintStore(Env env, Path dir, Clock clock, long segmentBytes) {
    this.env = env;
    this.dir = dir;
    this.clock = clock;
    this.segmentBytes = segmentBytes;
    this.writer = new Thread(this::runWriter, "hint-writer " + dir);
    writer.setDaemon(true);
  }

  /**
   * Opens (creating if needed) the store in {@code dir}, recovering every target's segments and
   * checkpoint, and starts its writer thread.
   *
   * @param segmentBytes a segment rolls once the next record would take it past this size
   * @throws StorageIOException if the directory cannot be listed or a file cannot be read
   */
  public static HintStore open(Env env, Path dir, Clock clock, long segmentBytes) {
    HintStore store = new HintStore(env, dir, clock, segmentBytes);
    try {
      HintRecovery.recover(env, dir, store::log, store::losses, store.openReport);
    } catch (IOException e) {
      throw new StorageIOException("opening hint store in " + dir, e);
    }
    store.writer.start();
    return store;
  }

  /** Appends a hint created now (on the store's clock); see {@link #append(NodeId, Hint)}. */
  public CompletableFuture<Void> append(
      NodeId target, byte[] key, byte[] siblings, NodeId coordinator) {
    return append(target, new Hint(key, siblings, clock.currentTimeMillis(), coordinator));
  }

  /**
   * Queues a hint for {@code target}. The future completes when the hint is fsynced, or
   * exceptionally with {@link StorageIOException} (the write or fsync failed; the next append
   * starts a new segment) or {@link StoreClosedException}.
   *
   * @throws IllegalArgumentException if the encoded hint exceeds {@link HintFormat#MAX_PAYLOAD_SIZE}
   */
  public CompletableFuture<Void> append(NodeId target, Hint hint) {
    byte[] payload = HintFormat.encodeHint(hint);
    if (payload.length > HintFormat.MAX_PAYLOAD_SIZE) {
      throw new IllegalArgumentException("hint of " + payload.length + " bytes is too large");
    }
    Append a = new Append(
        log(target), HintFormat.frame(payload), hint.createdMillis(), new CompletableFuture<>());
    synchronized (appendLock) {
      if (closed) {
        return CompletableFuture.failedFuture(new StoreClosedException("hint store is closed"));
      }
      queue.add(a);
    }
    return a.done;
  }

  private synchronized TargetLog log(NodeId target) {
    HintFiles.stem(target); // rejects ids too long for a file name
    return logs.computeIfAbsent(target, t -> new TargetLog(t, env, dir, segmentBytes));
  }

  /** Counts each lost record of {@code l} once, in the store's totals. */
  private ReadReport.Sink losses(TargetLog l) {
    return (at, loss) -> {
      if (!l.firstLoss(at, loss)) {
        return false;
      }
      synchronized (this) {
        switch (loss) {
          case CORRUPT -> corrupt++;
          case TORN -> torn++;
          case EXPIRED -> expired++;
        }
      }
      return true;
    };
  }

  private void runWriter() {
    List<Task> batch = new ArrayList<>();
    Map<TargetLog, List<Append>> byTarget = new java.util.LinkedHashMap<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, by queueing STOP
      }
      queue.drainTo(batch);
      for (Task t : batch) {
        switch (t) {
          case Append a -> byTarget.computeIfAbsent(a.log, l -> new ArrayList<>()).add(a);
          case Control c -> {
            byTarget.forEach(HintStore::commit); // appends queued before it go first
            byTarget.clear();
            c.run.run();
            stop |= c == STOP;
          }
        }
      }
      byTarget.forEach(HintStore::commit);
      byTarget.clear();
      batch.clear();
    }
  }

  /** Writes one target's share of a batch and fsyncs it once. */
  private static void commit(TargetLog log, List<Append> as) {
    try {
      for (Append a : as) {
        log.write(a.frame, a.created);
      }
      log.sync();
    } catch (RuntimeException e) {
      as.forEach(a -> a.done.completeExceptionally(e));
      return;
    }
    as.forEach(a -> a.done.complete(null));
  }

  /**
   * Runs {@code task} on the writer thread, after every append queued before it, and returns its
   * answer; false if the store is closed.
   */
  private boolean onWriter(BooleanSupplier task) {
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    Control c = new Control(() -> {
      try {
        done.complete(task.getAsBoolean());
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    synchronized (appendLock) {
      if (closed) {
        return false;
      }
      queue.add(c);
    }
    try {
      return done.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** A replay cursor from the target's checkpoint, skipping hints created before the cutoff. */
  public HintReader reader(NodeId target, long expireBeforeMillis) {
    return reader(target, checkpoint(target), expireBeforeMillis);
  }

  /** A replay cursor from {@code from}, skipping hints created before the cutoff. */
  public HintReader reader(NodeId target, HintPosition from, long expireBeforeMillis) {
    TargetLog l = log(target);
    return new HintReader(env, target, l.views(), from, expireBeforeMillis, losses(l));
  }

  /**
   * Durably records that every hint before {@code next} was delivered to {@code target}. When the
   * checkpoint enters a sealed segment, that segment is read once to count what is left in it.
   *
   * @throws StoreClosedException if the store is closed
   */
  public void checkpoint(NodeId target, HintPosition next) {
    checkOpen();
    TargetLog l = log(target);
    synchronized (l.checkpointLock) {
      try {
        CheckpointFile.write(env, dir, target, next);
      } catch (IOException e) {
        throw new StorageIOException("writing hint checkpoint of " + target.id(), e);
      }
      Segment s = l.setCheckpoint(next);
      if (s != null) {
        try {
          l.installIndex(s, HintRecovery.index(env, s, target));
        } catch (IOException e) {
          log.warn("event=hint_index_failed target={} file={} error=\"{}\" (stats count the whole"
              + " segment)", target.id(), s.path, e.toString());
        }
      }
    }
  }

  /** The last checkpoint of {@code target}, {@link HintPosition#START} if none. */
  public HintPosition checkpoint(NodeId target) {
    return log(target).checkpoint();
  }

  /**
   * Deletes the segments of {@code target} that lie wholly before {@code upTo}. If {@code upTo} is
   * at the end of the segment being appended to (everything appended so far was delivered), that
   * segment is sealed, unless an append got in first, and deleted too; the next append starts a
   * new one. Call only after the target durably acknowledged those hints.
   *
   * @return how many segments were deleted
   * @throws StoreClosedException if the store is closed
   */
  public int deleteSegmentsUpTo(NodeId target, HintPosition upTo) {
    checkOpen();
    TargetLog l = log(target);
    try {
      int n = l.deleteUpTo(upTo);
      // re-checked on the writer: an append queued before the seal keeps the segment alive
      if (l.activeEndsBy(upTo) && onWriter(() -> l.sealIf(
          s -> s.number == upTo.segment() && upTo.offset() >= s.bytes))) {
        n += l.deleteUpTo(upTo);
      }
      return n;
    } catch (IOException e) {
      throw new StorageIOException("deleting hint segments of " + target.id(), e);
    }
  }

  /** {@link #dropOlderThan(NodeId, long)} for every target. */
  public Set<NodeId> dropOlderThan(long cutoffMillis) {
    Set<NodeId> lost = new TreeSet<>();
    for (NodeId t : targets()) {
      lost.addAll(dropOlderThan(t, cutoffMillis));
    }
    return lost;
  }

  /**
   * Deletes the segments of {@code target} whose every hint was created before {@code
   * cutoffMillis} (sealing the one being appended to first, if it is such), counting their
   * undelivered hints as expired. Older hints in segments that also hold newer ones are skipped by
   * readers instead ({@link #reader}'s cutoff).
   *
   * @return {@code {target}} if it lost hints (schedule anti-entropy for it), else empty
   * @throws StoreClosedException if the store is closed
   */
  public Set<NodeId> dropOlderThan(NodeId target, long cutoffMillis) {
    checkOpen();
    TargetLog l = log(target);
    long n;
    try {
      n = l.dropOlderThan(cutoffMillis);
      if (l.activeOlderThan(cutoffMillis)
          && onWriter(() -> l.sealIf(s -> s.records > 0 && s.maxCreated < cutoffMillis))) {
        n += l.dropOlderThan(cutoffMillis);
      }
    } catch (IOException e) {
      throw new StorageIOException("expiring hint segments of " + target.id(), e);
    }
    synchronized (this) {
      expired += n;
    }
    return n > 0 ? Set.of(target) : Set.of();
  }

  /** The file system the store works through (for files kept beside it). */
  public Env env() {
    return env;
  }

  /** Targets that have (or had, since open) a hint log or a checkpoint. */
  public synchronized Set<NodeId> targets() {
    return new TreeSet<>(logs.keySet());
  }

  /** The undelivered hints of {@code target}: durable ones at or after its checkpoint. */
  public HintStats stats(NodeId target) {
    return log(target).stats();
  }

  /** Corrupt records, bad segment headers and bad checkpoints seen since open, each once. */
  public synchronized long corruptRecords() {
    return corrupt;
  }

  /** Torn tails seen since open, each once. */
  public synchronized long tornTails() {
    return torn;
  }

  /** Undelivered hints lost to expiry since open, each once: dropped or skipped by readers. */
  public synchronized long expiredHints() {
    return expired;
  }

  /** What open found wrong, with file and offset (the first 1000). */
  public List<HintProblem> problems() {
    return openReport.problems();
  }

  private void checkOpen() {
    synchronized (appendLock) {
      if (closed) {
        throw new StoreClosedException("hint store is closed");
      }
    }
  }

  /** Completes every queued append, stops the writer thread and closes the files. Idempotent. */
  @Override
  public void close() {
    synchronized (appendLock) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(STOP);
    }
    boolean interrupted = false;
    while (writer.isAlive()) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    try {
      for (TargetLog l : logsSnapshot()) {
        l.closeActive();
      }
    } catch (IOException e) {
      throw new StorageIOException("closing hint store in " + dir, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private synchronized List<TargetLog> logsSnapshot() {
    return new ArrayList<>(logs.values());
  }
}
