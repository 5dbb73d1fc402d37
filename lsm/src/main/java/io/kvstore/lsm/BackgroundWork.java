package io.kvstore.lsm;

import io.kvstore.lsm.internal.Compaction;
import io.kvstore.lsm.internal.CompactionPicker;
import io.kvstore.lsm.internal.Compactor;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.Memtable;
import io.kvstore.lsm.internal.MergingIterator;
import io.kvstore.lsm.internal.TableFactory;
import io.kvstore.lsm.internal.TableHandle;
import io.kvstore.lsm.internal.Version;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Flushes immutable memtables to level-0 tables and compacts levels, each on its own thread, so a
 * long compaction never delays a flush (and so never stalls writers longer than needed). Each job
 * does its I/O without the store mutex and takes it only to install the result: write the
 * manifest, swap the version, publish a new SuperVersion. Any failure is made sticky on the store.
 *
 * <p>Thread safety: the scheduling methods require the store mutex; the jobs run on the owned
 * executors. Only the compaction thread removes tables, so a compaction's inputs stay in the
 * current version while it runs.
 */
final class BackgroundWork {
  private final StoreCore core;
  private final ExecutorService flushExecutor;
  private final ExecutorService compactionExecutor;
  private final CompactionPicker picker;
  private final EngineCounters counters;
  private boolean flushScheduled;
  private boolean compactionScheduled;

  BackgroundWork(StoreCore core, ThreadFactory threads, EngineCounters counters) {
    this.core = core;
    this.counters = counters;
    this.flushExecutor = Executors.newSingleThreadExecutor(threads);
    this.compactionExecutor = Executors.newSingleThreadExecutor(threads);
    Options o = core.options;
    this.picker = new CompactionPicker(o.l0CompactionTrigger, o.level1MaxBytes, o.levelMultiplier);
  }

  /** {@link CompactionPicker#pendingCompactionBytes} of {@code v}; any thread. */
  long pendingCompactionBytes(Version v) {
    return picker.pendingCompactionBytes(v);
  }

  /** Mutex held. */
  void scheduleFlush() {
    if (!flushScheduled && !core.imms.isEmpty()) {
      flushScheduled = true;
      flushExecutor.execute(this::flushJob);
    }
  }

  /** Mutex held. */
  void maybeScheduleCompaction() {
    if (!compactionScheduled && !core.closing && core.backgroundError() == null) {
      if (picker.pick(core.version) != null) {
        compactionScheduled = true;
        compactionExecutor.execute(this::compactionJob);
      }
    }
  }

  private void flushJob() {
    while (true) {
      Memtable imm;
      core.mutex.lock();
      try {
        if (core.imms.isEmpty() || core.backgroundError() != null) {
          flushScheduled = false;
          core.changed.signalAll();
          return;
        }
        imm = core.imms.get(0);
      } finally {
        core.mutex.unlock();
      }
      try {
        flushOne(imm);
      } catch (IOException | RuntimeException e) {
        fail(e, "flush of a memtable");
        core.mutex.lock();
        try {
          flushScheduled = false;
        } finally {
          core.mutex.unlock();
        }
        return;
      }
    }
  }

  private void flushOne(Memtable imm) throws IOException {
    Compactor writer =
        new Compactor(core.tables, core::allocateFileNumber, Long.MAX_VALUE, () -> false);
    List<TableHandle> out;
    try (InternalIterator it = imm.iterator()) {
      out = writer.run(it, null, 0);
    }
    long minLog;
    core.mutex.lock();
    try {
      Version next = core.version.apply(List.of(), 0, out);
      minLog = core.imms.size() > 1 ? core.imms.get(1).logNumber() : core.mem.logNumber();
      install(next, minLog, out);
      core.imms.remove(0);
      core.installSuperVersion();
      counters.flushes.increment();
      counters.flushBytes.add(writer.bytesWritten());
      maybeScheduleCompaction();
      core.changed.signalAll();
    } finally {
      core.mutex.unlock();
    }
    releaseCreatorRefs(out);
    core.deleteObsoleteLogs(minLog);
  }

  private void compactionJob() {
    while (true) {
      Compaction c;
      core.mutex.lock();
      try {
        c = core.closing || core.backgroundError() != null ? null : picker.pick(core.version);
        if (c == null) {
          compactionScheduled = false;
          return;
        }
      } finally {
        core.mutex.unlock();
      }
      try {
        run(c);
      } catch (Compactor.AbortedException e) {
        compactionStopped();
        return;
      } catch (IOException | RuntimeException e) {
        fail(e, "compaction of level " + c.level());
        compactionStopped();
        return;
      }
    }
  }

  private void compactionStopped() {
    core.mutex.lock();
    try {
      compactionScheduled = false;
    } finally {
      core.mutex.unlock();
    }
  }

  /** Runs a full compaction on the compaction thread and waits for it. */
  void compactAll() {
    Future<?> f =
        compactionExecutor.submit(
            () -> {
              Compaction c;
              core.mutex.lock();
              try {
                core.throwIfNotWritable();
                c = CompactionPicker.full(core.version);
              } finally {
                core.mutex.unlock();
              }
              if (c != null) {
                try {
                  run(c);
                } catch (Compactor.AbortedException e) {
                  throw new StoreClosedException("store " + core.dir + " closed during compaction");
                } catch (IOException | RuntimeException e) {
                  throw fail(e, "manual compaction");
                }
              }
              return null;
            });
    try {
      f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageIOException("interrupted while waiting for compaction", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof LsmException le) {
        throw le;
      }
      throw new StorageIOException("manual compaction failed", e.getCause());
    }
  }

  private void run(Compaction c) throws IOException {
    Version base;
    core.mutex.lock();
    try {
      base = core.version;
    } finally {
      core.mutex.unlock();
    }
    if (c.isTrivialMove()) {
      core.mutex.lock();
      try {
        install(core.version.apply(c.inputs(), c.outputLevel(), c.inputs()), core.logNumber, null);
        core.installSuperVersion();
        counters.trivialMoves.increment();
      } finally {
        core.mutex.unlock();
      }
      return;
    }
    Compactor compactor =
        new Compactor(
            core.tables, core::allocateFileNumber, core.options.targetFileBytes, () -> core.closing);
    List<TableHandle> out;
    try (InternalIterator source =
        new MergingIterator(StoreCore.tableIterators(base, c.allInputs()))) {
      out = compactor.run(source, base, c.outputLevel());
    }
    core.mutex.lock();
    try {
      install(core.version.apply(c.allInputs(), c.outputLevel(), out), core.logNumber, out);
      for (TableHandle t : c.allInputs()) {
        t.markObsolete();
      }
      core.installSuperVersion();
      counters.compactions.increment();
      counters.compactionBytesRead.add(c.inputBytes());
      counters.compactionBytesWritten.add(compactor.bytesWritten());
      core.changed.signalAll();
    } finally {
      core.mutex.unlock();
    }
    releaseCreatorRefs(out);
  }

  /**
   * Makes {@code next} durable in the manifest and current. On failure the new tables are
   * discarded and the version stays as it was. Mutex held.
   */
  private void install(Version next, long minLogNumber, List<TableHandle> created)
      throws IOException {
    try {
      core.writeManifest(next, minLogNumber);
    } catch (IOException | RuntimeException e) {
      if (created != null) {
        for (TableHandle t : created) {
          TableFactory.discard(t);
        }
      }
      throw e;
    }
    core.version = next;
    core.logNumber = minLogNumber;
  }

  private static void releaseCreatorRefs(List<TableHandle> created) {
    for (TableHandle t : created) {
      t.unref();
    }
  }

  private LsmException fail(Throwable e, String what) {
    LsmException err =
        e instanceof LsmException le
            ? le
            : new StorageIOException(what + " failed in " + core.dir, e);
    core.mutex.lock();
    try {
      return core.setBackgroundError(err);
    } finally {
      core.mutex.unlock();
    }
  }

  /** Lets queued flushes finish, abandons a running compaction, and waits for both threads. */
  void shutdown() {
    flushExecutor.shutdown();
    compactionExecutor.shutdown();
    StoreCore.awaitQuietly(flushExecutor);
    StoreCore.awaitQuietly(compactionExecutor);
  }
}
