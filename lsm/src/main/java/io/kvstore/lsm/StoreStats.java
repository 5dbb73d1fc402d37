package io.kvstore.lsm;

import java.util.List;

/**
 * A point-in-time view of a store's counters. Write amplification = (flushBytes +
 * compactionBytesWritten) / userBytes. Data blocks per lookup = dataBlockReads / pointLookups.
 */
public record StoreStats(
    long userBytes,
    long flushes,
    long flushBytes,
    long compactions,
    long trivialMoves,
    long compactionBytesRead,
    long compactionBytesWritten,
    long writeStalls,
    long pointLookups,
    long dataBlockReads,
    long blockCacheMisses,
    long bloomChecks,
    long bloomNegatives,
    List<Integer> tablesPerLevel,
    List<Long> bytesPerLevel) {

  public double writeAmplification() {
    return userBytes == 0 ? 0 : (double) (flushBytes + compactionBytesWritten) / userBytes;
  }

  public double dataBlocksPerLookup() {
    return pointLookups == 0 ? 0 : (double) dataBlockReads / pointLookups;
  }
}
