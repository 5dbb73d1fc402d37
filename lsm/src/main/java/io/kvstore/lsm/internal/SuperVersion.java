package io.kvstore.lsm.internal;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Everything a read needs, captured at once: the active memtable, the immutable memtables waiting
 * for flush (newest first), and the table version. Reads and scans pin one SuperVersion with a
 * reference so that flushes and compactions can replace it without waiting for them; tables are
 * released when the last SuperVersion listing them is released.
 *
 * <p>Thread safe. The store holds one reference to its current SuperVersion.
 */
public final class SuperVersion {
  private final Memtable mem;
  private final List<Memtable> immutables;
  private final Version version;
  private final AtomicInteger refs = new AtomicInteger(1);

  public SuperVersion(Memtable mem, List<Memtable> immutables, Version version) {
    this.mem = mem;
    this.immutables = List.copyOf(immutables);
    this.version = version;
    version.refAll();
  }

  public Memtable mem() {
    return mem;
  }

  /** Immutable memtables, newest first. */
  public List<Memtable> immutables() {
    return immutables;
  }

  public Version version() {
    return version;
  }

  /** Takes a reference unless the SuperVersion has already been released. */
  public boolean tryRef() {
    while (true) {
      int n = refs.get();
      if (n <= 0) {
        return false;
      }
      if (refs.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  public void unref() {
    int n = refs.decrementAndGet();
    if (n == 0) {
      version.unrefAll();
    } else if (n < 0) {
      throw new IllegalStateException("SuperVersion released too often");
    }
  }
}
