package io.kvstore.lsm;

import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.internal.FileNames;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.LevelIterator;
import io.kvstore.lsm.sstable.LookupResult;
import io.kvstore.lsm.internal.Manifest;
import io.kvstore.lsm.internal.Memtable;
import io.kvstore.lsm.internal.MergingIterator;
import io.kvstore.lsm.internal.Recovery;
import io.kvstore.lsm.internal.ScanIterator;
import io.kvstore.lsm.internal.SuperVersion;
import io.kvstore.lsm.internal.TableFactory;
import io.kvstore.lsm.internal.TableHandle;
import io.kvstore.lsm.internal.Version;
import io.kvstore.lsm.sstable.TableOptions;
import io.kvstore.lsm.wal.LogWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine behind {@link LsmStore}: its state, reads and scans, commit-log syncing, stats and
 * close; writes go through {@link WritePath}, flushes and compactions through {@link
 * BackgroundWork}. See LsmStore for the thread-safety contract.
 *
 * <p>Invariants (under {@link #mutex}): every entry with sequence <= {@link #visibleSeq} is in
 * {@link #current}; {@link #imms} holds immutable memtables oldest first, each complete; only the
 * writer at the head of the write queue touches {@link #mem} and {@link #log}, and it may do so
 * with the mutex released.
 */
final class StoreCore {

  final Path dir;
  final Options options;
  final Env env;
  final TableFactory tables;
  final ReentrantLock mutex = new ReentrantLock();
  /** Signalled whenever background work finishes, a stall may end, or the queue drains. */
  final Condition changed = mutex.newCondition();

  Memtable mem;
  final List<Memtable> imms = new ArrayList<>();
  Version version;
  LogWriter log;
  long nextFileNumber;
  long lastSeq;
  long logNumber;

  volatile boolean closing;
  volatile long visibleSeq;
  private volatile SuperVersion current;
  private volatile LsmException backgroundError;

  final BackgroundWork background;
  private final WritePath writes;
  private final ScheduledExecutorService syncer;
  private final EngineCounters counters;

  private StoreCore(Path dir, Options options, TableFactory tables, Recovery.State st,
      EngineCounters counters) {
    this.dir = dir;
    this.options = options;
    this.env = options.env;
    this.tables = tables;
    this.mem = new Memtable(st.logNumber());
    this.version = st.version();
    this.log = st.log();
    this.logNumber = st.logNumber();
    this.nextFileNumber = st.nextFileNumber();
    this.lastSeq = st.lastSeq();
    this.visibleSeq = st.lastSeq();
    this.current = new SuperVersion(mem, List.of(), version);
    for (TableHandle t : st.opened()) {
      t.unref();
    }
    String name = dir.getFileName() == null ? "store" : dir.getFileName().toString();
    this.counters = counters;
    this.writes = new WritePath(this, counters);
    this.background = new BackgroundWork(this, threads("lsm-bg-" + name), counters);
    if (options.syncPolicy.mode() == SyncPolicy.Mode.PERIODIC) {
      long ms = options.syncPolicy.interval().toMillis();
      this.syncer = Executors.newSingleThreadScheduledExecutor(threads("lsm-sync-" + name));
      syncer.scheduleWithFixedDelay(this::periodicSync, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      this.syncer = null;
    }
  }

  static StoreCore open(Path dir, Options options, TableOptions tableOptions) throws IOException {
    TableFactory tables =
        new TableFactory(options.env, dir, tableOptions, options.blockCacheBytes);
    EngineCounters counters = new EngineCounters();
    Recovery.State st = new Recovery(options.env, dir, options, tables, counters.logSyncs).run();
    StoreCore core = new StoreCore(dir, options, tables, st, counters);
    core.mutex.lock();
    try {
      core.background.maybeScheduleCompaction();
    } finally {
      core.mutex.unlock();
    }
    return core;
  }

  private static ThreadFactory threads(String prefix) {
    return r -> {
      Thread t = new Thread(r, prefix);
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- writes

  void write(WriteBatch batch, boolean forceSwitch, boolean sync) {
    writes.write(batch, forceSwitch, sync);
  }

  private void periodicSync() {
    syncCurrentLog();
  }

  /**
   * fsyncs the current segment. A failure is made sticky and returned, unless the segment was
   * rotated away meanwhile (rotation closes, and so fsyncs, it) or the store is closing.
   */
  private LsmException syncCurrentLog() {
    LogWriter l;
    mutex.lock();
    try {
      l = log;
    } finally {
      mutex.unlock();
    }
    try {
      l.sync();
      return null;
    } catch (LsmException e) {
      mutex.lock();
      try {
        return l == log && !closing ? setBackgroundError(e) : null;
      } finally {
        mutex.unlock();
      }
    }
  }

  /**
   * Under the group policy, makes every write that returned before this call durable (one fsync,
   * shared by concurrent callers); a no-op under the other policies. Segments older than the
   * current one were fsynced when they were closed.
   */
  void syncCommitLog() {
    throwIfNotWritable();
    if (options.syncPolicy.mode() != SyncPolicy.Mode.GROUP) {
      return;
    }
    LsmException e = syncCurrentLog();
    if (e != null) {
      throw e;
    }
  }

  /** Switches the memtable and waits until it and every older one are in tables. */
  void flush() {
    write(new WriteBatch(), true, true);
    mutex.lock();
    try {
      while (!imms.isEmpty()) {
        throwIfNotWritable();
        changed.awaitUninterruptibly();
      }
    } finally {
      mutex.unlock();
    }
  }

  void compactAll() {
    throwIfNotWritable();
    background.compactAll();
  }

  // ---------------------------------------------------------------- reads

  byte[] get(byte[] key) {
    throwIfClosed();
    SuperVersion sv = acquire();
    try {
      long seq = visibleSeq;
      counters.pointLookups.increment();
      LookupResult r = sv.mem().get(key, seq);
      for (int i = 0; r.kind() == LookupResult.Kind.ABSENT && i < sv.immutables().size(); i++) {
        r = sv.immutables().get(i).get(key, seq);
      }
      if (r.kind() == LookupResult.Kind.ABSENT) {
        r = getFromTables(sv.version(), key, seq);
      }
      return r.kind() == LookupResult.Kind.FOUND ? r.value() : null;
    } finally {
      sv.unref();
    }
  }

  private static LookupResult getFromTables(Version v, byte[] key, long seq) {
    for (TableHandle t : v.level(0)) {
      if (t.covers(key)) {
        LookupResult r = t.reader().get(key, seq);
        if (r.kind() != LookupResult.Kind.ABSENT) {
          return r;
        }
      }
    }
    for (int level = 1; level < Version.LEVELS; level++) {
      TableHandle t = v.find(level, key);
      if (t != null) {
        LookupResult r = t.reader().get(key, seq);
        if (r.kind() != LookupResult.Kind.ABSENT) {
          return r;
        }
      }
    }
    return LookupResult.ABSENT;
  }

  KvIterator scan(byte[] from, byte[] to) {
    throwIfClosed();
    SuperVersion sv;
    long seq;
    mutex.lock();
    try {
      sv = acquire();
      seq = visibleSeq;
    } finally {
      mutex.unlock();
    }
    List<InternalIterator> sources = new ArrayList<>();
    try {
      sources.add(sv.mem().iterator());
      for (Memtable m : sv.immutables()) {
        sources.add(m.iterator());
      }
      sources.addAll(tableIterators(sv.version(), sv.version().all()));
    } catch (RuntimeException e) {
      sv.unref();
      throw e;
    }
    return new ScanIterator(new MergingIterator(sources), sv, seq, from, to);
  }

  /**
   * Iterators over the given tables of a version, newest data first: each level-0 table on its
   * own, then one concatenating iterator per deeper level.
   */
  static List<InternalIterator> tableIterators(Version v, List<TableHandle> chosen) {
    List<InternalIterator> out = new ArrayList<>();
    for (TableHandle t : v.level(0)) {
      if (chosen.contains(t)) {
        out.add(t.reader().iterator());
      }
    }
    for (int level = 1; level < Version.LEVELS; level++) {
      List<TableHandle> selected = new ArrayList<>();
      for (TableHandle t : v.level(level)) {
        if (chosen.contains(t)) {
          selected.add(t);
        }
      }
      if (!selected.isEmpty()) {
        out.add(new LevelIterator(selected));
      }
    }
    return out;
  }

  private SuperVersion acquire() {
    while (true) {
      SuperVersion sv = current;
      if (sv.tryRef()) {
        return sv;
      }
    }
  }

  // ---------------------------------------------------------------- shared with BackgroundWork

  /** Publishes a new SuperVersion from the current fields. Mutex held. */
  void installSuperVersion() {
    SuperVersion old = current;
    current = new SuperVersion(mem, imms.reversed(), version);
    old.unref();
  }

  /** Writes the manifest for {@code v} with the current counters. Mutex held. */
  void writeManifest(Version v, long minLogNumber) throws IOException {
    new Manifest(nextFileNumber, minLogNumber, lastSeq, Manifest.entriesOf(v)).writeTo(env, dir);
  }

  long allocateFileNumber() {
    mutex.lock();
    try {
      return nextFileNumber++;
    } finally {
      mutex.unlock();
    }
  }

  /** Deletes commit-log segments numbered below {@code minLogNumber} (their data is in tables). */
  void deleteObsoleteLogs(long minLogNumber) throws IOException {
    for (String name : env.list(FileNames.logDir(dir))) {
      OptionalLong n = FileNames.parse(name, FileNames.LOG_SUFFIX);
      if (n.isPresent() && n.getAsLong() < minLogNumber) {
        env.delete(FileNames.logDir(dir).resolve(name));
      }
    }
  }

  /** Counts a background failure and makes the first one sticky. Mutex held. */
  LsmException setBackgroundError(LsmException e) {
    counters.backgroundErrors.increment();
    if (backgroundError == null) {
      backgroundError = e;
    }
    changed.signalAll();
    return e;
  }

  LsmException backgroundError() {
    return backgroundError;
  }

  private void throwIfClosed() {
    if (closing) {
      throw new StoreClosedException("store " + dir + " is closed");
    }
  }

  void throwIfNotWritable() {
    throwIfClosed();
    LsmException e = backgroundError;
    if (e != null) {
      throw e;
    }
  }

  StoreStats stats() {
    Version v;
    long memtableBytes;
    int immutables;
    boolean failed;
    mutex.lock();
    try {
      v = version;
      memtableBytes = mem.approximateBytes();
      for (Memtable m : imms) {
        memtableBytes += m.approximateBytes();
      }
      immutables = imms.size();
      failed = backgroundError != null;
    } finally {
      mutex.unlock();
    }
    return counters.snapshot(new EngineCounters.Shape(v, memtableBytes, immutables,
        background.pendingCompactionBytes(v), failed), tables.readStats());
  }

  /** Returns false if already closed. See {@link LsmStore#close()}. */
  boolean close() {
    mutex.lock();
    try {
      if (closing) {
        return false;
      }
      closing = true;
      changed.signalAll();
      while (!writes.idle()) {
        changed.awaitUninterruptibly();
      }
    } finally {
      mutex.unlock();
    }
    if (syncer != null) {
      syncer.shutdownNow();
      awaitQuietly(syncer);
    }
    background.shutdown();
    mutex.lock();
    try {
      log.close();
    } finally {
      current.unref();
      mutex.unlock();
    }
    return true;
  }

  static void awaitQuietly(ExecutorService ex) {
    boolean interrupted = false;
    while (true) {
      try {
        if (ex.awaitTermination(1, TimeUnit.MINUTES)) {
          break;
        }
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
