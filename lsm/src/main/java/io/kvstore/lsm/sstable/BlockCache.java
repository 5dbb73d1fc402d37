package io.kvstore.lsm.sstable;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cache of parsed data blocks shared by many {@link TableReader}s, bounded by the total bytes
 * of the cached blocks (Caffeine, W-TinyLFU eviction). Keys are (cache id, block offset); every
 * reader takes a fresh id from {@link #newId()}, so a reopened or replaced file never sees stale
 * blocks, and entries of closed tables simply age out. Thread safe.
 *
 * <p>Capacity 0 disables caching: lookups always miss and nothing is stored.
 */
public final class BlockCache {
  private record Key(long id, long offset) {}

  private final long capacityBytes;
  private final Cache<Key, Block> cache;
  private final AtomicLong nextId = new AtomicLong(1);

  public BlockCache(long capacityBytes) {
    if (capacityBytes < 0) {
      throw new IllegalArgumentException("capacity must be >= 0: " + capacityBytes);
    }
    this.capacityBytes = capacityBytes;
    this.cache =
        capacityBytes == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(capacityBytes)
                .weigher((Key k, Block b) -> b.weight())
                .executor(Runnable::run) // evict on the caller's thread: bounded, predictable
                .build();
  }

  /** A cache that holds nothing. */
  public static BlockCache disabled() {
    return new BlockCache(0);
  }

  /** A fresh id for one opened table; never reused by this cache. */
  public long newId() {
    return nextId.getAndIncrement();
  }

  public long capacityBytes() {
    return capacityBytes;
  }

  /** Cached blocks right now (approximate under concurrency). */
  public long entryCount() {
    return cache == null ? 0 : cache.estimatedSize();
  }

  /** Bytes of cached blocks right now (approximate under concurrency). */
  public long weightedSize() {
    if (cache == null) {
      return 0;
    }
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L);
  }

  Block get(long id, long offset) {
    return cache == null ? null : cache.getIfPresent(new Key(id, offset));
  }

  void put(long id, long offset, Block block) {
    if (cache != null) {
      cache.put(new Key(id, offset), block);
    }
  }
}
