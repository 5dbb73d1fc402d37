package io.kvstore.lsm.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Leveled compaction policy (as LevelDB/RocksDB): level 0 is compacted into level 1 when it has
 * {@code l0Trigger} tables; a level n >= 1 is compacted when its size exceeds its budget
 * ({@code level1MaxBytes * multiplier^(n-1)}), one table at a time, chosen round-robin through the
 * key space so every key range is rewritten in turn. Not thread safe (the compaction thread owns
 * it), except {@link #maxBytes} and {@link #pendingCompactionBytes}, which read only the budgets.
 */
public final class CompactionPicker {
  private final int l0Trigger;
  private final long level1MaxBytes;
  private final int multiplier;
  private final byte[][] pointer = new byte[Version.LEVELS][];

  public CompactionPicker(int l0Trigger, long level1MaxBytes, int multiplier) {
    this.l0Trigger = l0Trigger;
    this.level1MaxBytes = level1MaxBytes;
    this.multiplier = multiplier;
  }

  public long maxBytes(int level) {
    long max = level1MaxBytes;
    for (int i = 1; i < level; i++) {
      max *= multiplier;
    }
    return max;
  }

  /** The most urgent compaction, or null if every level is within budget. */
  public Compaction pick(Version v) {
    if (v.level(0).size() >= l0Trigger) {
      return withOverlaps(v, 0, v.level(0), false);
    }
    int best = -1;
    double bestScore = 1.0;
    for (int level = 1; level < Version.LEVELS - 1; level++) {
      double score = (double) v.levelBytes(level) / maxBytes(level);
      if (score > bestScore) {
        bestScore = score;
        best = level;
      }
    }
    if (best < 0) {
      return null;
    }
    TableHandle chosen = nextAfterPointer(v.level(best), pointer[best]);
    pointer[best] = chosen.largest();
    return withOverlaps(v, best, List.of(chosen), false);
  }

  /**
   * An estimate of the bytes compaction must still rewrite to bring every level within its budget
   * (RocksDB's estimate-pending-compaction-bytes, on this picker's triggers and budgets). Level 0
   * at its trigger counts all of its bytes and all of level 1's, which it merges into; its bytes
   * then count toward level 1. From level 1 on, a level over its budget (with what the level
   * above pushes into it) counts its excess times (1 + next level's bytes / its bytes): the
   * excess and the share of the next level it is merged with; the excess then counts toward the
   * next level. An excess over an empty level counts nothing (its tables move down without being
   * rewritten). Zero whenever {@link #pick} has nothing to do.
   */
  public long pendingCompactionBytes(Version v) {
    long pending = 0;
    long incoming = 0;
    if (v.level(0).size() >= l0Trigger) {
      incoming = v.levelBytes(0);
      pending = incoming + v.levelBytes(1);
    }
    for (int level = 1; level < Version.LEVELS - 1; level++) {
      long size = v.levelBytes(level) + incoming;
      long excess = size - maxBytes(level);
      incoming = Math.max(0, excess);
      long next = v.levelBytes(level + 1);
      if (excess > 0 && next > 0) {
        pending += (long) (excess * (1 + (double) next / size));
      }
    }
    return pending;
  }

  /** Everything into the deepest non-empty level (at least 1): drops every droppable entry. */
  public static Compaction full(Version v) {
    int deepest = 1;
    List<TableHandle> inputs = new ArrayList<>();
    for (int level = 0; level < Version.LEVELS; level++) {
      if (!v.level(level).isEmpty()) {
        deepest = Math.max(deepest, level);
      }
    }
    for (int level = 0; level < deepest; level++) {
      inputs.addAll(v.level(level));
    }
    if (inputs.isEmpty() && v.level(deepest).isEmpty()) {
      return null;
    }
    return new Compaction(0, inputs, v.level(deepest), deepest, true);
  }

  private static TableHandle nextAfterPointer(List<TableHandle> tables, byte[] after) {
    if (after != null) {
      for (TableHandle t : tables) {
        if (InternalKey.compare(t.smallest(), after) > 0) {
          return t;
        }
      }
    }
    return tables.get(0);
  }

  private static Compaction withOverlaps(
      Version v, int level, List<TableHandle> inputs, boolean manual) {
    byte[] lo = null;
    byte[] hi = null;
    for (TableHandle t : inputs) {
      if (lo == null || InternalKey.compareUserKeys(t.smallest(), lo) < 0) {
        lo = t.smallest();
      }
      if (hi == null || InternalKey.compareUserKeys(t.largest(), hi) > 0) {
        hi = t.largest();
      }
    }
    List<TableHandle> overlapping =
        v.overlapping(level + 1, InternalKey.userKey(lo), InternalKey.userKey(hi));
    return new Compaction(level, List.copyOf(inputs), overlapping, level + 1, manual);
  }
}
