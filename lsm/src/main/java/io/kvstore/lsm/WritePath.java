package io.kvstore.lsm;

import io.kvstore.lsm.internal.BatchCodec;
import io.kvstore.lsm.internal.FileNames;
import io.kvstore.lsm.internal.Memtable;
import io.kvstore.lsm.wal.LogWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * The write queue (as LevelDB's): callers queue up; the head, the leader, takes the writers
 * behind it as one group, assigns their sequence numbers, appends the group to the commit log as
 * one record, fsyncs once for all of them under the {@code group} policy (group commit), applies
 * them to the memtable, publishes their sequence numbers and wakes them. The leader also switches
 * to a new memtable and log segment when the memtable is full, and stalls while background work
 * is too far behind, so memory stays bounded.
 *
 * <p>Thread safety: all state is guarded by the store mutex; the leader does its I/O with the
 * mutex released, which is safe because only the queue head touches the memtable and the log.
 */
final class WritePath {
  private static final long MAX_GROUP_BYTES = 1 << 20;

  private final StoreCore core;
  private final EngineCounters counters;
  private final ArrayDeque<Writer> writers = new ArrayDeque<>();

  WritePath(StoreCore core, EngineCounters counters) {
    this.core = core;
    this.counters = counters;
  }

  /** True when no writer is queued or writing. Mutex held. */
  boolean idle() {
    return writers.isEmpty();
  }

  /** A caller waiting in the write queue. Guarded by the core.mutex. */
  private static final class Writer {
    final WriteBatch batch;
    final boolean forceSwitch;
    final boolean sync;
    final Condition cv;
    boolean done;
    LsmException error;

    Writer(WriteBatch batch, boolean forceSwitch, boolean sync, Condition cv) {
      this.batch = batch;
      this.forceSwitch = forceSwitch;
      this.sync = sync;
      this.cv = cv;
    }
  }

  /**
   * Queues a write. {@code sync}: under the group policy, wait for the fsync; false defers it to a
   * later {@link #syncCommitLog()}. {@code forceSwitch}: no data, switch the memtable (flush).
   */
  void write(WriteBatch batch, boolean forceSwitch, boolean sync) {
    core.throwIfNotWritable();
    Writer w = new Writer(batch, forceSwitch, sync, core.mutex.newCondition());
    core.mutex.lock();
    try {
      writers.addLast(w);
      while (!w.done && writers.peekFirst() != w) {
        w.cv.awaitUninterruptibly();
      }
      if (w.done) {
        if (w.error != null) {
          throw w.error;
        }
        return;
      }
      try {
        makeRoomForWrite(forceSwitch);
      } catch (LsmException e) {
        finishGroup(List.of(w), e);
        throw e;
      }
      if (forceSwitch) {
        finishGroup(List.of(w), null);
        return;
      }
      leadGroup(w);
    } finally {
      core.mutex.unlock();
    }
  }

  /** As the queue head: core.log and apply the waiting group. Mutex held on entry and exit. */
  private void leadGroup(Writer leader) {
    List<Writer> group = new ArrayList<>();
    List<WriteBatch> batches = new ArrayList<>();
    long bytes = 0;
    int count = 0;
    boolean sync = false;
    for (Writer x : writers) {
      if (x.forceSwitch || (x != leader && bytes + x.batch.approximateBytes() > MAX_GROUP_BYTES)) {
        break;
      }
      group.add(x);
      sync |= x.sync;
      batches.add(x.batch);
      bytes += x.batch.approximateBytes();
      count += x.batch.size();
    }
    long first = core.lastSeq + 1;
    core.lastSeq += count;
    long groupLast = core.lastSeq;
    LogWriter logNow = core.log;
    Memtable memNow = core.mem;
    LsmException error = null;
    core.mutex.unlock();
    try {
      logNow.append(BatchCodec.encode(first, batches));
      if (sync && core.options.syncPolicy.mode() == SyncPolicy.Mode.GROUP) {
        logNow.sync();
      }
      long seq = first;
      for (WriteBatch b : batches) {
        for (WriteBatch.Op op : b.ops()) {
          memNow.add(seq++, op.isDelete() ? (byte) 0 : (byte) 1, op.key(), op.value());
        }
      }
    } catch (LsmException e) {
      error = e;
    } catch (RuntimeException e) {
      error = new StorageIOException("writing the commit core.log in " + FileNames.logDir(core.dir), e);
    } finally {
      core.mutex.lock();
    }
    if (error == null) {
      core.visibleSeq = groupLast;
      counters.userBytes.add(bytes);
    } else {
      core.setBackgroundError(error);
    }
    finishGroup(group, error);
    if (error != null) {
      throw error;
    }
  }

  private void finishGroup(List<Writer> group, LsmException error) {
    for (Writer x : group) {
      Writer head = writers.pollFirst();
      if (head != x) {
        throw new IllegalStateException("write queue out of order");
      }
      x.done = true;
      x.error = error;
      x.cv.signal();
    }
    if (writers.isEmpty()) {
      core.changed.signalAll();
    } else {
      writers.peekFirst().cv.signal();
    }
  }

  /**
   * Ensures the memtable has room, switching to a new one (and a new core.log segment) when it is full
   * or when {@code force} is set; stalls while too many memtables or level-0 tables are waiting
   * for core.background work, so memory stays bounded. A write that stalls counts once, with the
   * whole time it waited.
   */
  private void makeRoomForWrite(boolean force) {
    boolean stalled = false;
    long stallStart = 0;
    try {
      while (true) {
        core.throwIfNotWritable();
        if (force ? core.mem.isEmpty() : core.mem.approximateBytes() < core.options.memtableBytes) {
          return;
        }
        if (core.imms.size() >= core.options.maxImmutableMemtables
            || core.version.level(0).size() >= core.options.l0StopWritesTrigger) {
          if (!stalled) {
            stalled = true;
            stallStart = core.env.nanoTime();
            counters.writeStalls.increment();
          }
          core.changed.awaitUninterruptibly();
          continue;
        }
        switchMemtable();
        force = false;
      }
    } finally {
      if (stalled) {
        counters.writeStallNanos.add(core.env.nanoTime() - stallStart);
      }
    }
  }

  private void switchMemtable() {
    long number = core.nextFileNumber++;
    LogWriter next;
    try {
      next = LogWriter.create(core.env, FileNames.log(core.dir, number), number, counters.logSyncs);
    } catch (LsmException e) {
      throw core.setBackgroundError(e);
    }
    LogWriter old = core.log;
    core.log = next;
    core.imms.add(core.mem);
    core.mem = new Memtable(number);
    core.installSuperVersion();
    core.background.scheduleFlush();
    // Still the queue head, so nobody else touches the core.log; let readers and flushes proceed.
    core.mutex.unlock();
    try {
      old.close();
    } catch (LsmException e) {
      throw core.setBackgroundError(e);
    } finally {
      core.mutex.lock();
    }
  }
}
