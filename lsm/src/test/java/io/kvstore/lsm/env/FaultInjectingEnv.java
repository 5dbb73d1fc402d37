package io.kvstore.lsm.env;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An {@link Env} over a real one that remembers what a machine crash would lose, and injects I/O
 * errors on demand (after LevelDB's FaultInjectionTestEnv and Lucene's MockDirectoryWrapper).
 *
 * <p>Crash model of {@link #simulateCrash}: every file written through this env is cut back to the
 * length it had at its last successful {@code sync()} (to empty if it was never synced), and every
 * file created since the last {@link #syncDirectory} of its directory is deleted. Open handles
 * become invalid: later calls on them throw IOException (closing them is a no-op). The env itself
 * stays usable, to reopen files and recover.
 *
 * <p>Simplifications (the model is never more pessimistic than a real disk, sometimes more lenient;
 * tests of rename or delete durability need a finer model):
 *
 * <ul>
 *   <li>Renames and deletes are durable as soon as they return; a crash does not undo a rename
 *       that was not followed by syncDirectory, and a renamed file is never deleted by a crash
 *       (it keeps only its synced bytes).
 *   <li>Truncation by {@link #newWritableFile} of an existing file, and {@link #truncate}, are
 *       durable at once. Directories are never removed.
 *   <li>Files this env did not write (already on disk, or written around it) are left alone.
 * </ul>
 *
 * <p>Injected faults throw {@code IOException("injected ...")}: {@link #failWritesAfter} (appends),
 * {@link #failSyncs} (file and directory syncs), {@link #failRenames}; {@link #resetFaults} clears
 * them. A failing append writes nothing.
 *
 * <p>Thread safe. File state is guarded by this object's monitor. I/O through handles holds the
 * read side of {@code crashLock} and simulateCrash the write side, so a crash is atomic with
 * respect to in-flight appends and syncs.
 */
public final class FaultInjectingEnv implements Env {
  private final Env delegate;
  private final ReadWriteLock crashLock = new ReentrantReadWriteLock();
  private final Map<Path, FileState> files = new HashMap<>(); // guarded by this
  private final Set<Closeable> openHandles = new HashSet<>(); // guarded by this
  private long generation; // guarded by this; bumped by each crash
  private int writesBeforeFailure = -1; // guarded by this; -1 = never fail
  private boolean failSyncs; // guarded by this
  private boolean failRenames; // guarded by this

  /** What this env knows of one file it wrote. Fields guarded by the env's monitor. */
  static final class FileState {
    long written;
    long synced;
    boolean entryDurable;

    FileState(boolean entryDurable) {
      this.entryDurable = entryDurable;
    }
  }

  public FaultInjectingEnv(Env delegate) {
    this.delegate = delegate;
  }

  /** Over the real file system. */
  public FaultInjectingEnv() {
    this(DefaultEnv.INSTANCE);
  }

  // ---- fault controls

  /** The next {@code n} appends (over all files) succeed, every later one fails. */
  public synchronized void failWritesAfter(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("n must be >= 0");
    }
    writesBeforeFailure = n;
  }

  public synchronized void failSyncs(boolean fail) {
    failSyncs = fail;
  }

  public synchronized void failRenames(boolean fail) {
    failRenames = fail;
  }

  /** Clears every injected fault (file states and the crash model are not touched). */
  public synchronized void resetFaults() {
    writesBeforeFailure = -1;
    failSyncs = false;
    failRenames = false;
  }

  /** Bytes of {@code path} that would survive a crash now, or -1 if this env does not track it. */
  public synchronized long syncedLength(Path path) {
    FileState s = files.get(key(path));
    return s == null ? -1 : s.synced;
  }

  // ---- the crash

  /** Makes the disk look as if the machine had crashed now; see the class comment. */
  public void simulateCrash() throws IOException {
    crashLock.writeLock().lock();
    try {
      synchronized (this) {
        generation++;
        for (Closeable h : openHandles) {
          h.close();
        }
        openHandles.clear();
        List<Path> lost = new ArrayList<>();
        for (Map.Entry<Path, FileState> e : files.entrySet()) {
          FileState s = e.getValue();
          if (!s.entryDurable) {
            delegate.delete(e.getKey());
            lost.add(e.getKey());
          } else if (delegate.exists(e.getKey()) && delegate.size(e.getKey()) > s.synced) {
            delegate.truncate(e.getKey(), s.synced);
          }
          s.written = s.synced;
        }
        lost.forEach(files::remove);
      }
    } finally {
      crashLock.writeLock().unlock();
    }
  }

  // ---- Env

  @Override
  public WritableFile newWritableFile(Path path) throws IOException {
    Path k = key(path);
    crashLock.readLock().lock();
    try {
      synchronized (this) {
        FileState old = files.get(k);
        boolean existed = delegate.exists(k);
        WritableFile real = delegate.newWritableFile(k);
        FileState s = new FileState(existed && (old == null || old.entryDurable));
        files.put(k, s);
        openHandles.add(real);
        return new Writable(real, s, generation);
      }
    } finally {
      crashLock.readLock().unlock();
    }
  }

  @Override
  public ReadableFile newReadableFile(Path path) throws IOException {
    synchronized (this) {
      ReadableFile real = delegate.newReadableFile(path);
      openHandles.add(real);
      return new Readable(real, generation);
    }
  }

  @Override
  public boolean exists(Path path) {
    return delegate.exists(path);
  }

  @Override
  public List<String> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public synchronized void delete(Path path) throws IOException {
    delegate.delete(path);
    files.remove(key(path));
  }

  @Override
  public synchronized void renameAtomic(Path source, Path target) throws IOException {
    if (failRenames) {
      throw new IOException("injected rename failure: " + source + " -> " + target);
    }
    delegate.renameAtomic(source, target);
    FileState s = files.remove(key(source));
    if (s != null) {
      s.entryDurable = true; // simplification: renames are durable at once
      files.put(key(target), s);
    } else {
      files.remove(key(target));
    }
  }

  @Override
  public synchronized void truncate(Path path, long size) throws IOException {
    delegate.truncate(path, size);
    FileState s = files.get(key(path));
    if (s != null) {
      s.written = size;
      s.synced = size;
    }
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    Path d = key(dir);
    synchronized (this) {
      if (failSyncs) {
        throw new IOException("injected directory sync failure: " + dir);
      }
    }
    delegate.syncDirectory(d);
    synchronized (this) {
      for (Map.Entry<Path, FileState> e : files.entrySet()) {
        if (d.equals(e.getKey().getParent())) {
          e.getValue().entryDurable = true;
        }
      }
    }
  }

  @Override
  public long size(Path path) throws IOException {
    return delegate.size(path);
  }

  @Override
  public long nanoTime() {
    return delegate.nanoTime();
  }

  private static Path key(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private synchronized void checkLive(long handleGeneration, Object what) throws IOException {
    if (handleGeneration != generation) {
      throw new IOException("injected: " + what + " was open across a simulated crash");
    }
  }

  private synchronized boolean isLive(long handleGeneration) {
    return handleGeneration == generation;
  }

  private synchronized void beforeAppend() throws IOException {
    if (writesBeforeFailure == 0) {
      throw new IOException("injected write failure");
    }
    if (writesBeforeFailure > 0) {
      writesBeforeFailure--;
    }
  }

  private synchronized void checkSync() throws IOException {
    if (failSyncs) {
      throw new IOException("injected sync failure");
    }
  }

  private synchronized void forget(Closeable handle) {
    openHandles.remove(handle);
  }

  /** A handle that tracks appended and synced bytes in its {@link FileState}. */
  private final class Writable implements WritableFile {
    private final WritableFile real;
    private final FileState state;
    private final long gen;

    Writable(WritableFile real, FileState state, long gen) {
      this.real = real;
      this.state = state;
      this.gen = gen;
    }

    @Override
    public void append(byte[] data, int offset, int length) throws IOException {
      crashLock.readLock().lock();
      try {
        checkLive(gen, "writable file");
        beforeAppend();
        real.append(data, offset, length);
        synchronized (FaultInjectingEnv.this) {
          state.written += length;
        }
      } finally {
        crashLock.readLock().unlock();
      }
    }

    @Override
    public void sync() throws IOException {
      crashLock.readLock().lock();
      try {
        checkLive(gen, "writable file");
        checkSync();
        long target;
        synchronized (FaultInjectingEnv.this) {
          target = state.written;
        }
        real.sync();
        synchronized (FaultInjectingEnv.this) {
          state.synced = Math.max(state.synced, target);
        }
      } finally {
        crashLock.readLock().unlock();
      }
    }

    @Override
    public long size() {
      return real.size();
    }

    @Override
    public void close() throws IOException {
      crashLock.readLock().lock();
      try {
        if (isLive(gen)) { // after a crash the real handle is already closed
          forget(real);
          real.close();
        }
      } finally {
        crashLock.readLock().unlock();
      }
    }
  }

  /** A read handle that stops working after a simulated crash. */
  private final class Readable implements ReadableFile {
    private final ReadableFile real;
    private final long gen;

    Readable(ReadableFile real, long gen) {
      this.real = real;
      this.gen = gen;
    }

    @Override
    public void readFully(long position, byte[] dst, int offset, int length) throws IOException {
      checkLive(gen, real.path());
      real.readFully(position, dst, offset, length);
    }

    @Override
    public long size() throws IOException {
      checkLive(gen, real.path());
      return real.size();
    }

    @Override
    public Path path() {
      return real.path();
    }

    @Override
    public void close() throws IOException {
      forget(real);
      real.close();
    }
  }
}
