package io.kvstore.bench;

/**
 * Cumulative counters an engine exposes, in one vocabulary for both engines: point lookups, the
 * data blocks they consulted (cache hits + misses), the block-cache misses among those, user bytes
 * written, and bytes written to table files by flushes and compactions. Differences of two
 * snapshots describe one phase of a run. Immutable value; a negative field means "not available".
 */
public record EngineCounters(
    long pointLookups,
    long dataBlockReads,
    long blockCacheMisses,
    long userBytes,
    long tableBytesWritten) {

  public static final EngineCounters UNAVAILABLE = new EngineCounters(-1, -1, -1, -1, -1);

  public boolean available() {
    return pointLookups >= 0;
  }

  /** Counters accumulated between {@code earlier} and this snapshot. */
  public EngineCounters since(EngineCounters earlier) {
    if (!available() || !earlier.available()) {
      return UNAVAILABLE;
    }
    return new EngineCounters(
        pointLookups - earlier.pointLookups,
        dataBlockReads - earlier.dataBlockReads,
        blockCacheMisses - earlier.blockCacheMisses,
        userBytes - earlier.userBytes,
        tableBytesWritten - earlier.tableBytesWritten);
  }

  public double dataBlocksPerLookup() {
    return pointLookups <= 0 ? Double.NaN : (double) dataBlockReads / pointLookups;
  }

  public double cacheMissesPerLookup() {
    return pointLookups <= 0 ? Double.NaN : (double) blockCacheMisses / pointLookups;
  }

  /** Table bytes written per user byte (the commit log is not counted). */
  public double writeAmplification() {
    return userBytes <= 0 ? Double.NaN : (double) tableBytesWritten / userBytes;
  }
}
