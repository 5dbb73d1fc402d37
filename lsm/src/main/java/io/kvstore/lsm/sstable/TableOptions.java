package io.kvstore.lsm.sstable;

/**
 * How a {@link TableBuilder} lays out a table. Immutable value.
 *
 * @param blockSize target size of a data block's contents in bytes; a block is cut before an
 *     entry that would push it past this size, so only a block holding a single oversized entry
 *     is larger
 * @param bloomBitsPerKey filter bits per distinct user key; 0 writes no filter
 * @param restartInterval entries between restart points in data blocks (1 = no prefix
 *     compression)
 */
public record TableOptions(int blockSize, int bloomBitsPerKey, int restartInterval) {
  public static final int DEFAULT_BLOCK_SIZE = 4096;
  public static final int DEFAULT_BLOOM_BITS_PER_KEY = 10;
  public static final int DEFAULT_RESTART_INTERVAL = 16;

  public TableOptions {
    if (blockSize < 64) {
      throw new IllegalArgumentException("blockSize must be >= 64: " + blockSize);
    }
    if (bloomBitsPerKey < 0 || bloomBitsPerKey > 64) {
      throw new IllegalArgumentException("bloomBitsPerKey must be in [0, 64]: " + bloomBitsPerKey);
    }
    if (restartInterval < 1) {
      throw new IllegalArgumentException("restartInterval must be >= 1: " + restartInterval);
    }
  }

  public static TableOptions defaults() {
    return new TableOptions(
        DEFAULT_BLOCK_SIZE, DEFAULT_BLOOM_BITS_PER_KEY, DEFAULT_RESTART_INTERVAL);
  }

  public TableOptions withBlockSize(int size) {
    return new TableOptions(size, bloomBitsPerKey, restartInterval);
  }

  public TableOptions withBloomBitsPerKey(int bits) {
    return new TableOptions(blockSize, bits, restartInterval);
  }

  public TableOptions withRestartInterval(int interval) {
    return new TableOptions(blockSize, bloomBitsPerKey, interval);
  }
}
