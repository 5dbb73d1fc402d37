package io.kvstore.lsm.sstable;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters describing point lookups ({@link TableReader#get}) across the tables sharing this
 * object, for benchmarks and metrics: e.g. data blocks consulted per lookup is {@code
 * dataBlockReads() / lookups}, block cache hit rate is {@code 1 - blockCacheMisses() /
 * dataBlockReads()}. Iterators and {@link TableReader#mayContain} do not count. Thread safe
 * (LongAdder), no invariants between counters beyond {@code bloomNegatives <= bloomChecks} and
 * {@code blockCacheMisses <= dataBlockReads} at quiescence.
 */
public final class ReadStats {
  private final LongAdder bloomChecks = new LongAdder();
  private final LongAdder bloomNegatives = new LongAdder();
  private final LongAdder dataBlockReads = new LongAdder();
  private final LongAdder blockCacheMisses = new LongAdder();

  /** Lookups that consulted a bloom filter (tables written without one do not count). */
  public long bloomChecks() {
    return bloomChecks.sum();
  }

  /** Lookups the filter answered "definitely not here", saving a block read. */
  public long bloomNegatives() {
    return bloomNegatives.sum();
  }

  /** Data blocks consulted by lookups, whether from the cache or from disk. */
  public long dataBlockReads() {
    return dataBlockReads.sum();
  }

  /** Data blocks lookups had to read from disk. */
  public long blockCacheMisses() {
    return blockCacheMisses.sum();
  }

  public void reset() {
    bloomChecks.reset();
    bloomNegatives.reset();
    dataBlockReads.reset();
    blockCacheMisses.reset();
  }

  void recordBloomCheck(boolean negative) {
    bloomChecks.increment();
    if (negative) {
      bloomNegatives.increment();
    }
  }

  void recordDataBlockRead(boolean cacheMiss) {
    dataBlockReads.increment();
    if (cacheMiss) {
      blockCacheMisses.increment();
    }
  }

  @Override
  public String toString() {
    return "ReadStats{bloomChecks="
        + bloomChecks()
        + ", bloomNegatives="
        + bloomNegatives()
        + ", dataBlockReads="
        + dataBlockReads()
        + ", blockCacheMisses="
        + blockCacheMisses()
        + "}";
  }
}
