package io.kvstore.lsm;

import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.lsm.env.Env;
import java.util.Objects;

/**
 * Settings of one store. Immutable; build with {@link #builder()}. Every setting has a default
 * suitable for a server; tests shrink the memtable and table sizes to exercise flush and
 * compaction quickly.
 */
public final class Options {
  final Env env;
  final SyncPolicy syncPolicy;
  final long memtableBytes;
  final int maxImmutableMemtables;
  final int blockSize;
  final int bloomBitsPerKey;
  final long blockCacheBytes;
  final long targetFileBytes;
  final long level1MaxBytes;
  final int levelMultiplier;
  final int l0CompactionTrigger;
  final int l0StopWritesTrigger;

  private Options(Builder b) {
    this.env = b.env;
    this.syncPolicy = b.syncPolicy;
    this.memtableBytes = b.memtableBytes;
    this.maxImmutableMemtables = b.maxImmutableMemtables;
    this.blockSize = b.blockSize;
    this.bloomBitsPerKey = b.bloomBitsPerKey;
    this.blockCacheBytes = b.blockCacheBytes;
    this.targetFileBytes = b.targetFileBytes;
    this.level1MaxBytes = b.level1MaxBytes;
    this.levelMultiplier = b.levelMultiplier;
    this.l0CompactionTrigger = b.l0CompactionTrigger;
    this.l0StopWritesTrigger = b.l0StopWritesTrigger;
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Options defaults() {
    return builder().build();
  }

  public SyncPolicy syncPolicy() {
    return syncPolicy;
  }

  public Env env() {
    return env;
  }

  public long memtableBytes() {
    return memtableBytes;
  }

  public Builder toBuilder() {
    return new Builder()
        .env(env)
        .syncPolicy(syncPolicy)
        .memtableBytes(memtableBytes)
        .maxImmutableMemtables(maxImmutableMemtables)
        .blockSize(blockSize)
        .bloomBitsPerKey(bloomBitsPerKey)
        .blockCacheBytes(blockCacheBytes)
        .targetFileBytes(targetFileBytes)
        .level1MaxBytes(level1MaxBytes)
        .levelMultiplier(levelMultiplier)
        .l0CompactionTrigger(l0CompactionTrigger)
        .l0StopWritesTrigger(l0StopWritesTrigger);
  }

  @Override
  public String toString() {
    return "Options{sync="
        + syncPolicy
        + ", memtableBytes="
        + memtableBytes
        + ", maxImmutableMemtables="
        + maxImmutableMemtables
        + ", blockSize="
        + blockSize
        + ", bloomBitsPerKey="
        + bloomBitsPerKey
        + ", blockCacheBytes="
        + blockCacheBytes
        + ", targetFileBytes="
        + targetFileBytes
        + ", level1MaxBytes="
        + level1MaxBytes
        + ", levelMultiplier="
        + levelMultiplier
        + ", l0CompactionTrigger="
        + l0CompactionTrigger
        + ", l0StopWritesTrigger="
        + l0StopWritesTrigger
        + "}";
  }

  /** Mutable builder; validates on {@link #build()}, naming the bad setting. */
  public static final class Builder {
    private Env env = DefaultEnv.INSTANCE;
    private SyncPolicy syncPolicy = SyncPolicy.group();
    private long memtableBytes = 32L << 20;
    private int maxImmutableMemtables = 2;
    private int blockSize = 4096;
    private int bloomBitsPerKey = 10;
    private long blockCacheBytes = 64L << 20;
    private long targetFileBytes = 8L << 20;
    private long level1MaxBytes = 64L << 20;
    private int levelMultiplier = 10;
    private int l0CompactionTrigger = 4;
    private int l0StopWritesTrigger = 12;

    private Builder() {}

    public Builder env(Env env) {
      this.env = Objects.requireNonNull(env, "env");
      return this;
    }

    public Builder syncPolicy(SyncPolicy policy) {
      this.syncPolicy = Objects.requireNonNull(policy, "syncPolicy");
      return this;
    }

    /** Size at which the active memtable becomes immutable and is flushed. */
    public Builder memtableBytes(long bytes) {
      this.memtableBytes = bytes;
      return this;
    }

    /** Immutable memtables waiting for flush before writers stall. */
    public Builder maxImmutableMemtables(int n) {
      this.maxImmutableMemtables = n;
      return this;
    }

    public Builder blockSize(int bytes) {
      this.blockSize = bytes;
      return this;
    }

    public Builder bloomBitsPerKey(int bits) {
      this.bloomBitsPerKey = bits;
      return this;
    }

    /** Capacity of the data-block cache; 0 disables it. */
    public Builder blockCacheBytes(long bytes) {
      this.blockCacheBytes = bytes;
      return this;
    }

    /** Compaction output files are cut at about this size. */
    public Builder targetFileBytes(long bytes) {
      this.targetFileBytes = bytes;
      return this;
    }

    /** Size budget of level 1; level n+1 holds {@code levelMultiplier} times level n. */
    public Builder level1MaxBytes(long bytes) {
      this.level1MaxBytes = bytes;
      return this;
    }

    public Builder levelMultiplier(int m) {
      this.levelMultiplier = m;
      return this;
    }

    /** Number of level-0 tables that triggers a level-0 compaction. */
    public Builder l0CompactionTrigger(int n) {
      this.l0CompactionTrigger = n;
      return this;
    }

    /** Number of level-0 tables at which writers stall until compaction catches up. */
    public Builder l0StopWritesTrigger(int n) {
      this.l0StopWritesTrigger = n;
      return this;
    }

    public Options build() {
      require(memtableBytes >= 4096, "memtableBytes must be >= 4096: " + memtableBytes);
      require(maxImmutableMemtables >= 1, "maxImmutableMemtables must be >= 1");
      require(blockSize >= 256 && blockSize <= (4 << 20), "blockSize must be in [256, 4 MiB]");
      require(bloomBitsPerKey >= 0 && bloomBitsPerKey <= 64, "bloomBitsPerKey must be in [0, 64]");
      require(blockCacheBytes >= 0, "blockCacheBytes must be >= 0");
      require(targetFileBytes >= 4096, "targetFileBytes must be >= 4096");
      require(level1MaxBytes >= targetFileBytes, "level1MaxBytes must be >= targetFileBytes");
      require(levelMultiplier >= 2, "levelMultiplier must be >= 2");
      require(l0CompactionTrigger >= 1, "l0CompactionTrigger must be >= 1");
      require(
          l0StopWritesTrigger > l0CompactionTrigger,
          "l0StopWritesTrigger must be > l0CompactionTrigger");
      return new Options(this);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }
  }
}
