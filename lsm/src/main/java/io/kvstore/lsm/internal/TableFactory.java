package io.kvstore.lsm.internal;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.sstable.BlockCache;
import io.kvstore.lsm.sstable.ReadStats;
import io.kvstore.lsm.sstable.TableBuilder;
import io.kvstore.lsm.sstable.TableMeta;
import io.kvstore.lsm.sstable.TableOptions;
import io.kvstore.lsm.sstable.TableReader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;

/**
 * Opens and builds tables of one store and wraps them in {@link TableHandle}s that delete their
 * file when they are obsolete and unreferenced. Owns the store's block cache and read counters.
 * Every handle it returns carries one "creator" reference that the caller drops once the table is
 * installed in a SuperVersion (or immediately, to discard it). Thread safe.
 */
public final class TableFactory {
  private static final System.Logger LOG = System.getLogger(TableFactory.class.getName());

  private final Env env;
  private final Path dir;
  private final TableOptions tableOptions;
  private final BlockCache cache;
  private final ReadStats readStats = new ReadStats();

  public TableFactory(Env env, Path dir, TableOptions tableOptions, long blockCacheBytes) {
    this.env = env;
    this.dir = dir;
    this.tableOptions = tableOptions;
    this.cache = new BlockCache(blockCacheBytes);
  }

  public ReadStats readStats() {
    return readStats;
  }

  public TableBuilder newBuilder(long fileNumber) throws IOException {
    return new TableBuilder(env, FileNames.table(dir, fileNumber), tableOptions);
  }

  /** Finishes a builder and opens the resulting table. */
  public TableHandle finish(TableBuilder builder, long fileNumber) throws IOException {
    TableMeta meta = builder.finish();
    return open(
        fileNumber, meta.fileSize(), meta.entryCount(), meta.smallestKey(), meta.largestKey());
  }

  /** Opens an existing table whose metadata is known (from the manifest or a builder). */
  public TableHandle open(
      long fileNumber, long fileSize, long entryCount, byte[] smallest, byte[] largest)
      throws IOException {
    Path path = FileNames.table(dir, fileNumber);
    TableReader reader = TableReader.open(env, path, fileNumber, cache, readStats);
    TableHandle h =
        new TableHandle(
            fileNumber, fileSize, entryCount, smallest, largest, reader, path, this::released);
    h.ref();
    return h;
  }

  /** Drops the creator reference of a table that will not be installed, deleting its file. */
  public static void discard(TableHandle h) {
    h.markObsolete();
    h.unref();
  }

  private void released(TableHandle h) {
    if (!h.isObsolete()) {
      return;
    }
    try {
      env.delete(h.path());
    } catch (IOException e) {
      // Not fatal: the file is not in the manifest, and the next open deletes orphans.
      LOG.log(Level.WARNING, "could not delete obsolete table " + h.path() + ": " + e);
    }
  }

  /** Wraps an IOException from table I/O with the file it concerns. */
  public static StorageIOException ioError(String what, Path path, IOException e) {
    return new StorageIOException(what + " " + path, e);
  }
}
