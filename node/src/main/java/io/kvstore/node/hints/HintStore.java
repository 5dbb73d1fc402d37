package io.kvstore.node.hints;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.Env;
import io.kvstore.node.time.Clock;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The durable hint store (DESIGN.md section 6): under one directory, an append-only segment log
 * per target node, a replay checkpoint per target, expiry and stats. Format: FORMAT.md.
 *
 * <p>Durability and group commit: {@link #append} queues the record and returns a future that
 * completes only after the record is fsynced. The store <b>owns</b> one writer thread (started by
 * {@link #open}, stopped by {@link #close}); it takes every queued append at once, writes each
 * target's records and fsyncs each touched target once, so concurrent appends share an fsync.
 *
 * <p>Thread safety: every public method may be called from any thread. Opening a store scans all
 * segments; corruption found there is counted and reported ({@link #problems}), never thrown. A
 * store never appends to a segment it did not create: each open starts new segments, so nothing
 * that was fsynced is ever truncated.
 */
public final class HintStore implements AutoCloseable {
  public static final long DEFAULT_SEGMENT_BYTES = 8L << 20;

  private record Pending(TargetLog log, byte[] frame, long created, CompletableFuture<Void> done) {}

  private static final Pending STOP = new Pending(null, null, 0, null);

  private final Env env;
  private final Path dir;
  private final Clock clock;
  private final long segmentBytes;
  private final Map<NodeId, TargetLog> logs = new TreeMap<>(); // guarded by this
  private final Map<NodeId, HintPosition> checkpoints = new TreeMap<>(); // guarded by this
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Object appendLock = new Object();
  private final ReadReport openReport = new ReadReport(); // filled before the store is shared
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
      HintRecovery.recover(env, dir, segmentBytes, store.logs, store.checkpoints, store.openReport);
    } catch (IOException e) {
      throw new StorageIOException("opening hint store in " + dir, e);
    }
    store.corrupt = store.openReport.corrupt();
    store.torn = store.openReport.torn();
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
   * exceptionally with {@link StorageIOException} (this target's log failed) or {@link
   * StoreClosedException}.
   *
   * @throws IllegalArgumentException if the encoded hint exceeds {@link HintFormat#MAX_PAYLOAD_SIZE}
   */
  public CompletableFuture<Void> append(NodeId target, Hint hint) {
    byte[] payload = HintFormat.encodeHint(hint);
    if (payload.length > HintFormat.MAX_PAYLOAD_SIZE) {
      throw new IllegalArgumentException("hint of " + payload.length + " bytes is too large");
    }
    Pending p =
        new Pending(
            log(target), HintFormat.frame(payload), hint.createdMillis(), new CompletableFuture<>());
    synchronized (appendLock) {
      if (closed) {
        return CompletableFuture.failedFuture(new StoreClosedException("hint store is closed"));
      }
      queue.add(p);
    }
    return p.done;
  }

  private synchronized TargetLog log(NodeId target) {
    HintFiles.stem(target); // rejects ids too long for a file name
    return logs.computeIfAbsent(target, t -> new TargetLog(t, env, dir, segmentBytes));
  }

  private void runWriter() {
    List<Pending> batch = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue; // only close() stops the writer, by queueing STOP
      }
      queue.drainTo(batch);
      Map<TargetLog, List<Pending>> byTarget = new LinkedHashMap<>();
      for (Pending p : batch) {
        if (p == STOP) {
          stop = true;
        } else {
          byTarget.computeIfAbsent(p.log, l -> new ArrayList<>()).add(p);
        }
      }
      byTarget.forEach(HintStore::commit);
      batch.clear();
    }
  }

  /** Writes one target's share of a batch and fsyncs it once. */
  private static void commit(TargetLog log, List<Pending> ps) {
    try {
      for (Pending p : ps) {
        log.write(p.frame, p.created);
      }
      log.sync();
    } catch (RuntimeException e) {
      ps.forEach(p -> p.done.completeExceptionally(e));
      return;
    }
    ps.forEach(p -> p.done.complete(null));
  }

  /** A replay cursor from the target's checkpoint, skipping hints created before the cutoff. */
  public HintReader reader(NodeId target, long expireBeforeMillis) {
    return reader(target, checkpoint(target), expireBeforeMillis);
  }

  /** A replay cursor from {@code from}, skipping hints created before the cutoff. */
  public HintReader reader(NodeId target, HintPosition from, long expireBeforeMillis) {
    List<TargetLog.View> views = log(target).views();
    return new HintReader(env, target, views, from, expireBeforeMillis, r -> absorb(target, r));
  }

  private synchronized void absorb(NodeId target, ReadReport r) {
    corrupt += r.corrupt();
    torn += r.torn();
    expired += r.expired();
  }

  /** Durably records that every hint before {@code next} was delivered to {@code target}. */
  public synchronized void checkpoint(NodeId target, HintPosition next) {
    try {
      CheckpointFile.write(env, dir, target, next);
    } catch (IOException e) {
      throw new StorageIOException("writing hint checkpoint of " + target.id(), e);
    }
    checkpoints.put(target, next);
  }

  /** The last checkpoint of {@code target}, {@link HintPosition#START} if none. */
  public synchronized HintPosition checkpoint(NodeId target) {
    return checkpoints.getOrDefault(target, HintPosition.START);
  }

  /**
   * Deletes the segments of {@code target} that lie wholly before {@code upTo} (never the one being
   * appended to). Call only after the target durably acknowledged those hints.
   *
   * @return how many segments were deleted
   */
  public int deleteSegmentsUpTo(NodeId target, HintPosition upTo) {
    try {
      return log(target).deleteUpTo(upTo);
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
   * Deletes the sealed segments of {@code target} whose every hint was created before {@code
   * cutoffMillis}, counting their hints as expired. Older hints in segments that also hold newer
   * ones are skipped by readers instead ({@link #reader}'s cutoff).
   *
   * @return {@code {target}} if it lost hints (schedule anti-entropy for it), else empty
   */
  public Set<NodeId> dropOlderThan(NodeId target, long cutoffMillis) {
    long n;
    try {
      n = log(target).dropOlderThan(cutoffMillis);
    } catch (IOException e) {
      throw new StorageIOException("expiring hint segments of " + target.id(), e);
    }
    synchronized (this) {
      expired += n;
    }
    return n > 0 ? Set.of(target) : Set.of();
  }

  /** Targets that have (or had, since open) a hint log. */
  public synchronized Set<NodeId> targets() {
    return new TreeSet<>(logs.keySet());
  }

  public HintStats stats(NodeId target) {
    return log(target).stats();
  }

  /** Corrupt records (and bad headers or checkpoints) seen by open and by closed readers. */
  public synchronized long corruptRecords() {
    return corrupt;
  }

  /** Torn tails seen by open and by closed readers. */
  public synchronized long tornTails() {
    return torn;
  }

  /** Hints dropped by {@link #dropOlderThan} or skipped as expired by closed readers. */
  public synchronized long expiredHints() {
    return expired;
  }

  /** What open found wrong, with file and offset (the first 1000). */
  public List<HintProblem> problems() {
    return openReport.problems();
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
      for (TargetLog l : List.copyOf(logsSnapshot())) {
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
