package io.kvstore.lsm.sstable;

import static io.kvstore.lsm.sstable.TableFormat.BLOCK_TRAILER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.FOOTER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.HEADER_SIZE;
import static io.kvstore.lsm.sstable.TableFormat.MIN_FILE_SIZE;

import io.kvstore.lsm.CorruptionException;
import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.StoreClosedException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.ReadableFile;
import io.kvstore.lsm.internal.InternalIterator;
import io.kvstore.lsm.internal.InternalKey;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An open table file: point lookups and iterators. The header, footer, index and filter are read
 * and verified by {@link #open}; the index and filter then stay in memory, while data blocks are
 * read on demand, checked, and shared through the {@link BlockCache}.
 *
 * <p>Thread safe: {@link #get}, {@link #mayContain} and {@link #iterator} may run concurrently;
 * each iterator is for one thread. All state is immutable after open except the closed flag.
 * Closing while other threads still read makes their reads fail; callers reference-count tables.
 */
public final class TableReader implements AutoCloseable {
  private final Path path;
  private final ReadableFile file;
  private final long fileNumber;
  private final long fileSize;
  private final BlockCache cache;
  private final long cacheId;
  private final ReadStats stats;
  private final BloomFilter filter;
  private final BlockIndex index;
  private final long entryCount;
  private volatile boolean closed;

  private TableReader(
      ReadableFile file, long fileNumber, long fileSize, BlockCache cache, ReadStats stats,
      BloomFilter filter, BlockIndex index, long entryCount) {
    this.path = file.path();
    this.file = file;
    this.fileNumber = fileNumber;
    this.fileSize = fileSize;
    this.cache = cache;
    this.cacheId = cache.newId();
    this.stats = stats;
    this.filter = filter;
    this.index = index;
    this.entryCount = entryCount;
  }

  /**
   * Opens and verifies a table: header, footer, filter block and index block.
   *
   * @param cache shared block cache; null for none
   * @param stats lookup counters to add to; null to keep private ones
   * @throws CorruptionException naming the file and the offset of the bad structure
   * @throws StorageIOException if the file cannot be read
   */
  public static TableReader open(
      Env env, Path path, long fileNumber, BlockCache cache, ReadStats stats) {
    ReadableFile file;
    try {
      file = env.newReadableFile(path);
    } catch (IOException e) {
      throw new StorageIOException("open table " + path, e);
    }
    try {
      long size = file.size();
      if (size < HEADER_SIZE) {
        throw truncated(path, size);
      }
      int version = TableFormat.checkHeader(path, read(file, path, 0, HEADER_SIZE));
      if (size < MIN_FILE_SIZE) {
        throw truncated(path, size);
      }
      long footerOffset = size - FOOTER_SIZE;
      Footer footer = Footer.decode(path, size, read(file, path, footerOffset, FOOTER_SIZE));
      if (footer.version() != version) {
        throw new CorruptionException(path, 0, "header version " + version
            + " differs from footer version " + footer.version());
      }
      BloomFilter filter = readFilter(file, path, footer.filterOffset(), footer.filterSize());
      Block indexBlock = readBlock(file, path, footer.indexOffset(), footer.indexSize());
      BlockIndex index = BlockIndex.decode(indexBlock, footer.filterOffset());
      return new TableReader(file, fileNumber, size,
          cache == null ? BlockCache.disabled() : cache, stats == null ? new ReadStats() : stats,
          filter, index, footer.entryCount());
    } catch (IOException e) {
      closeQuietly(file, null);
      throw new StorageIOException("read table " + path, e);
    } catch (RuntimeException e) {
      closeQuietly(file, e);
      throw e;
    }
  }

  /**
   * The newest entry for {@code userKey} with sequence number <= {@code seq} ({@code seq} above
   * {@link InternalKey#MAX_SEQ} means "latest"). Consults the bloom filter first, then at most
   * one data block.
   */
  public LookupResult get(byte[] userKey, long seq) {
    checkOpen();
    if (seq < 0) {
      throw new IllegalArgumentException("negative sequence number " + seq);
    }
    if (filter.probes() > 0) {
      boolean negative = !filter.mayContain(userKey);
      stats.recordBloomCheck(negative);
      if (negative) {
        return LookupResult.ABSENT;
      }
    }
    long trailer = KeyCompare.lookupTrailer(Math.min(seq, InternalKey.MAX_SEQ));
    int i = index.find(userKey, 0, userKey.length, trailer);
    if (i == index.size()) {
      return LookupResult.ABSENT;
    }
    BlockCursor c = new BlockCursor(dataBlock(i, true));
    c.seek(userKey, 0, userKey.length, trailer);
    if (!c.valid()) {
      throw new CorruptionException(path, index.offset(i),
          "data block holds no key up to its index key");
    }
    if (!c.userKeyEquals(userKey, 0, userKey.length)) {
      return LookupResult.ABSENT;
    }
    return switch (c.type()) {
      case InternalKey.TYPE_PUT -> LookupResult.found(c.copyValue());
      case InternalKey.TYPE_DELETE -> LookupResult.DELETED;
      default -> throw new CorruptionException(path, index.offset(i),
          "unknown entry type " + c.type());
    };
  }

  /** The bloom filter's answer (true if the table has no filter). Not counted in ReadStats. */
  public boolean mayContain(byte[] userKey) {
    return filter.mayContain(userKey);
  }

  /** A new iterator over all entries, initially invalid; fetches blocks through the cache. */
  public InternalIterator iterator() {
    checkOpen();
    return new TableIterator(this, index);
  }

  public long fileNumber() {
    return fileNumber;
  }

  public long fileSize() {
    return fileSize;
  }

  public long entryCount() {
    return entryCount;
  }

  public Path path() {
    return path;
  }

  /** Number of data blocks. */
  public int dataBlockCount() {
    return index.size();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      file.close();
    } catch (IOException e) {
      throw new StorageIOException("close table " + path, e);
    }
  }

  /** The in-memory index (tests and tools inspect the block layout through it). */
  BlockIndex index() {
    return index;
  }

  /** Data block i, from the cache or disk; {@code lookup} counts it in ReadStats. */
  Block dataBlock(int i, boolean lookup) {
    long off = index.offset(i);
    Block b = cache.get(cacheId, off);
    boolean miss = b == null;
    if (miss) {
      checkOpen();
      try {
        b = readBlock(file, path, off, index.blockSize(i));
      } catch (IOException e) {
        throw new StorageIOException("read table " + path + " block at " + off, e);
      }
      cache.put(cacheId, off, b);
    }
    if (lookup) {
      stats.recordDataBlockRead(miss);
    }
    return b;
  }

  private void checkOpen() {
    if (closed) {
      throw new StoreClosedException("table " + path + " is closed");
    }
  }

  private static Block readBlock(ReadableFile file, Path path, long offset, int size)
      throws IOException {
    return Block.parse(path, offset, read(file, path, offset, size + BLOCK_TRAILER_SIZE), size);
  }

  private static BloomFilter readFilter(ReadableFile file, Path path, long offset, int size)
      throws IOException {
    byte[] raw = read(file, path, offset, size + BLOCK_TRAILER_SIZE);
    Block.verifyTrailer(path, offset, raw, size);
    try {
      return BloomFilter.decode(raw, 0, size);
    } catch (IllegalArgumentException e) {
      throw new CorruptionException(path, offset, "filter block: " + e.getMessage());
    }
  }

  /** Reads exactly {@code len} bytes; running off the end of the file is corruption. */
  private static byte[] read(ReadableFile file, Path path, long offset, int len)
      throws IOException {
    byte[] buf = new byte[len];
    try {
      file.readFully(offset, buf, 0, len);
    } catch (EOFException e) {
      throw new CorruptionException(path, offset,
          "truncated: " + len + " bytes at " + offset + " extend past the end of the file", e);
    }
    return buf;
  }

  private static CorruptionException truncated(Path path, long size) {
    return new CorruptionException(path, size, "truncated: file is " + size
        + " bytes, a table needs at least " + MIN_FILE_SIZE);
  }

  private static void closeQuietly(ReadableFile file, RuntimeException primary) {
    try {
      file.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }
}
