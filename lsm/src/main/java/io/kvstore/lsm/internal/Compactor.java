package io.kvstore.lsm.internal;

import io.kvstore.lsm.sstable.TableBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Writes the output tables of a compaction or a memtable flush: merges the sources, keeps only
 * the newest version of each user key (older versions are invisible to every reader that does not
 * pin the input tables themselves, and those keep the inputs alive), drops a tombstone when no
 * table deeper than the output level can hold the key, and cuts output tables at the target size,
 * but never between two versions of one user key. Not thread safe; one instance per run.
 */
public final class Compactor {
  /** Thrown when the store closes while a compaction runs; the outputs are discarded. */
  public static final class AbortedException extends RuntimeException {
    AbortedException() {
      super("compaction aborted: store closing", null, false, false);
    }
  }

  private final TableFactory tables;
  private final LongSupplier fileNumbers;
  private final long targetFileBytes;
  private final BooleanSupplier aborted;
  private long bytesWritten;

  public Compactor(
      TableFactory tables, LongSupplier fileNumbers, long targetFileBytes, BooleanSupplier aborted) {
    this.tables = tables;
    this.fileNumbers = fileNumbers;
    this.targetFileBytes = targetFileBytes;
    this.aborted = aborted;
  }

  public long bytesWritten() {
    return bytesWritten;
  }

  /**
   * Runs the merge. {@code deeper} is the version consulted for tombstone dropping: a tombstone is
   * dropped when no table in a level deeper than {@code outputLevel} covers its key (null: keep
   * every tombstone, as when flushing a memtable to level 0). On failure, partial outputs are
   * deleted.
   */
  public List<TableHandle> run(InternalIterator source, Version deeper, int outputLevel)
      throws IOException {
    List<TableHandle> outputs = new ArrayList<>();
    TableBuilder builder = null;
    long builderNumber = 0;
    boolean ok = false;
    try {
      source.seekToFirst();
      byte[] lastUserKey = null;
      long n = 0;
      while (source.valid()) {
        if ((++n & 1023) == 0 && aborted.getAsBoolean()) {
          throw new AbortedException();
        }
        byte[] ikey = source.key();
        if (lastUserKey != null && InternalKey.compareUserKey(ikey, lastUserKey) == 0) {
          source.next();
          continue;
        }
        lastUserKey = InternalKey.userKey(ikey);
        if (InternalKey.type(ikey) == InternalKey.TYPE_DELETE
            && deeper != null
            && isBaseLevel(deeper, outputLevel, lastUserKey)) {
          source.next();
          continue;
        }
        if (builder != null && builder.estimatedSize() >= targetFileBytes) {
          outputs.add(finish(builder, builderNumber));
          builder = null;
        }
        if (builder == null) {
          builderNumber = fileNumbers.getAsLong();
          builder = tables.newBuilder(builderNumber);
        }
        builder.add(ikey, source.value());
        source.next();
      }
      if (builder != null) {
        TableBuilder last = builder;
        builder = null;
        outputs.add(finish(last, builderNumber));
      }
      ok = true;
      return outputs;
    } finally {
      if (!ok) {
        if (builder != null) {
          builder.abandon();
        }
        for (TableHandle t : outputs) {
          TableFactory.discard(t);
        }
      }
    }
  }

  private TableHandle finish(TableBuilder builder, long number) throws IOException {
    TableHandle t = tables.finish(builder, number);
    bytesWritten += t.fileSize();
    return t;
  }

  private static boolean isBaseLevel(Version v, int outputLevel, byte[] userKey) {
    for (int level = outputLevel + 1; level < Version.LEVELS; level++) {
      if (v.find(level, userKey) != null) {
        return false;
      }
    }
    return true;
  }
}
