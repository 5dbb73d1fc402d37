package io.kvstore.lsm.sstable;

import io.kvstore.lsm.StorageIOException;
import io.kvstore.lsm.env.Env;
import io.kvstore.lsm.env.WritableFile;
import io.kvstore.lsm.internal.Bytes;
import io.kvstore.lsm.internal.Crc32c;
import io.kvstore.lsm.internal.InternalKey;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Writes one table file from entries given in increasing internal-key order (FORMAT.md): header,
 * data blocks, filter block, index block, footer. Not thread safe: one writer thread.
 *
 * <p>Lifecycle: construct (creates the file and writes the header), {@link #add} any number of
 * times, then exactly one of {@link #finish} (fsync + close) or {@link #abandon} (close + delete).
 * After an I/O error the builder is failed: further {@code add}/{@code finish} calls throw
 * {@link IllegalStateException} and the caller must {@link #abandon}.
 *
 * <p>Invariants: {@code offset} equals the bytes appended; every data block before the pending
 * one has an index entry whose key is that block's last key.
 */
public final class TableBuilder {
  private final Env env;
  private final Path path;
  private final TableOptions opts;
  private final WritableFile file;
  private final BlockBuilder dataBlock;
  private final BlockBuilder indexBlock = new BlockBuilder(1);
  private long offset;
  private long entryCount;
  private byte[] smallestKey;
  private byte[] lastKey = new byte[64];
  private int lastKeyLen = -1;
  private long[] userKeyHashes = new long[256];
  private int numHashes;
  private boolean closed;
  private boolean failed;

  public TableBuilder(Env env, Path path, TableOptions opts) {
    this.env = env;
    this.path = path;
    this.opts = opts;
    this.dataBlock = new BlockBuilder(opts.restartInterval());
    try {
      this.file = env.newWritableFile(path);
    } catch (IOException e) {
      throw new StorageIOException("create table " + path, e);
    }
    try {
      append(TableFormat.encodeHeader(), TableFormat.HEADER_SIZE);
    } catch (StorageIOException e) {
      try {
        abandon();
      } catch (StorageIOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Adds an entry. Keys must be valid internal keys (at least 8 bytes) in strictly increasing
   * {@link InternalKey#COMPARATOR} order. The arrays are copied; the caller may reuse them.
   *
   * @throws IllegalArgumentException if the key is out of order, too short, or the entry is over
   *     1 GiB
   */
  public void add(byte[] internalKey, byte[] value) {
    checkWritable();
    checkKey(internalKey, value);
    long entryMax = BlockBuilder.maxEntrySize(internalKey.length, value.length);
    if (!dataBlock.isEmpty() && dataBlock.currentSize() + entryMax > opts.blockSize()) {
      flushDataBlock();
    }
    dataBlock.add(internalKey, value);
    if (lastKeyLen < 0) {
      smallestKey = internalKey.clone();
    }
    int userLen = internalKey.length - 8;
    if (lastKeyLen < 0 || !Arrays.equals(lastKey, 0, lastKeyLen - 8, internalKey, 0, userLen)) {
      addUserKeyHash(BloomFilter.hash(internalKey, 0, userLen));
    }
    if (lastKey.length < internalKey.length) {
      lastKey = new byte[Math.max(internalKey.length, lastKey.length * 2)];
    }
    System.arraycopy(internalKey, 0, lastKey, 0, internalKey.length);
    lastKeyLen = internalKey.length;
    entryCount++;
  }

  /** Bytes the file would have if finished now (approximate: filter and index are estimated). */
  public long estimatedSize() {
    long filter = (long) numHashes * opts.bloomBitsPerKey() / 8 + 1;
    long index = (dataBlock.isEmpty() ? 0 : lastKeyLen + 16) + indexBlock.currentSize();
    return offset + dataBlock.currentSize() + filter + index + TableFormat.FOOTER_SIZE
        + 3L * TableFormat.BLOCK_TRAILER_SIZE;
  }

  public long entryCount() {
    return entryCount;
  }

  public Path path() {
    return path;
  }

  /**
   * Writes the last data block, the filter, the index and the footer, fsyncs and closes the
   * file. The caller syncs the directory if the file's name must be durable.
   */
  public TableMeta finish() {
    checkWritable();
    if (!dataBlock.isEmpty()) {
      flushDataBlock();
    }
    long filterOffset = offset;
    byte[] filter = BloomFilter.fromHashes(userKeyHashes, numHashes, opts.bloomBitsPerKey())
        .encode();
    writeRawBlock(filter);
    long indexOffset = offset;
    int indexSize = writeBlock(indexBlock);
    Footer footer = new Footer(filterOffset, filter.length, indexOffset, indexSize, entryCount,
        TableFormat.FORMAT_VERSION);
    append(footer.encode(), TableFormat.FOOTER_SIZE);
    try {
      file.sync();
      closed = true;
      file.close();
    } catch (IOException e) {
      failed = true;
      throw new StorageIOException("sync table " + path, e);
    }
    byte[] largest = lastKeyLen < 0 ? null : Arrays.copyOf(lastKey, lastKeyLen);
    return new TableMeta(offset, entryCount, smallestKey, largest);
  }

  /** Closes and deletes the file; safe to call in any state, including after finish fails. */
  public void abandon() {
    IOException error = null;
    if (!closed) {
      closed = true;
      try {
        file.close();
      } catch (IOException e) {
        error = e;
      }
    }
    try {
      env.delete(path);
    } catch (IOException e) {
      if (error != null) {
        e.addSuppressed(error);
      }
      error = e;
    }
    if (error != null) {
      throw new StorageIOException("abandon table " + path, error);
    }
  }

  private void checkWritable() {
    if (closed) {
      throw new IllegalStateException("table builder for " + path + " is finished or abandoned");
    }
    if (failed) {
      throw new IllegalStateException("table builder for " + path + " failed; abandon it");
    }
  }

  private void checkKey(byte[] key, byte[] value) {
    if (key.length < 8) {
      throw new IllegalArgumentException("internal key shorter than 8 bytes: " + key.length);
    }
    if ((long) key.length + value.length > (1 << 30)) {
      throw new IllegalArgumentException("entry larger than 1 GiB");
    }
    if (lastKeyLen >= 0) {
      int userLen = key.length - 8;
      long trailer = Bytes.getLong(key, userLen);
      if (KeyCompare.compare(lastKey, 0, lastKeyLen, key, 0, userLen, trailer) >= 0) {
        throw new IllegalArgumentException(
            "keys out of order in " + path + ": " + describe(key) + " after "
                + describe(Arrays.copyOf(lastKey, lastKeyLen)));
      }
    }
  }

  private static String describe(byte[] ikey) {
    return "user key " + HexFormat.of().formatHex(ikey, 0, ikey.length - 8)
        + " seq " + InternalKey.seq(ikey) + " type " + InternalKey.type(ikey);
  }

  private void addUserKeyHash(long h) {
    if (numHashes == userKeyHashes.length) {
      userKeyHashes = Arrays.copyOf(userKeyHashes, numHashes * 2);
    }
    userKeyHashes[numHashes++] = h;
  }

  private void flushDataBlock() {
    long blockOffset = offset;
    int size = writeBlock(dataBlock);
    byte[] handle = new byte[Varint.MAX_LEN_56 + Varint.MAX_LEN_32];
    int n = Varint.put(handle, 0, blockOffset);
    n = Varint.put(handle, n, size);
    indexBlock.add(Arrays.copyOf(lastKey, lastKeyLen), Arrays.copyOf(handle, n));
    dataBlock.reset();
  }

  /** Finishes and writes a block; returns its contents size (trailer excluded). */
  private int writeBlock(BlockBuilder block) {
    int total = block.finish();
    append(block.buffer(), total);
    return total - TableFormat.BLOCK_TRAILER_SIZE;
  }

  /** Writes {@code contents} followed by a block trailer. */
  private void writeRawBlock(byte[] contents) {
    byte[] b = Arrays.copyOf(contents, contents.length + TableFormat.BLOCK_TRAILER_SIZE);
    b[contents.length] = TableFormat.BLOCK_TYPE_UNCOMPRESSED;
    Bytes.putInt(b, contents.length + 1, Crc32c.masked(b, 0, contents.length + 1));
    append(b, b.length);
  }

  private void append(byte[] b, int len) {
    try {
      file.append(b, 0, len);
      offset += len;
    } catch (IOException e) {
      failed = true;
      throw new StorageIOException("write table " + path, e);
    }
  }
}
