package io.kvstore.bench;

/**
 * The storage operations the benchmarks measure, so each benchmark body is written once and run
 * against every engine ({@link OurEngine}, {@link RocksDbEngine}). Adapters open their engine with
 * the comparable settings of {@link EngineSettings}.
 *
 * <p>Thread safety: {@link #put}, {@link #get} and {@link #scan} may be called from many threads
 * at once (both engines allow it); {@link #settle}, {@link #awaitBackgroundWork} and {@link
 * #close} are for one thread while no other operation runs.
 */
public interface Engine extends AutoCloseable {
  /** Receives each entry of a scan. */
  @FunctionalInterface
  interface EntryVisitor {
    void visit(byte[] key, byte[] value);
  }

  /** "ours" or "rocksdb". */
  String name();

  void put(byte[] key, byte[] value);

  /** The value of {@code key}, or null if absent. */
  byte[] get(byte[] key);

  /**
   * Visits up to {@code limit} entries in key order starting at the first key >= {@code from};
   * returns how many were visited.
   */
  int scan(byte[] from, int limit, EntryVisitor visitor);

  /** Flushes the memtable and compacts everything into one level (steady state for reads). */
  void settle();

  /** Flushes the memtable and waits until background compaction has nothing left to do. */
  void awaitBackgroundWork() throws InterruptedException;

  /** Internal counters since open (may be {@link EngineCounters#UNAVAILABLE}). */
  EngineCounters counters();

  /** One-line description of the level shape, for reports. */
  String shape();

  @Override
  void close();
}
