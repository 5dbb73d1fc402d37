package io.kvstore.lsm.internal;

import io.kvstore.lsm.sstable.LookupResult;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory write buffer: a concurrent skip list of internal key -> value. Each memtable is
 * paired with the commit-log segment that holds its data ({@link #logNumber()}); once it has been
 * flushed to an SSTable, segments up to that number can be deleted.
 *
 * <p>Thread safety: any number of concurrent readers and one applying writer (the write path's
 * group leader); readers filter entries by sequence number, so entries of a group being applied are
 * invisible until the store publishes that group's sequence numbers.
 */
public final class Memtable {
  /** Per-entry bookkeeping estimate of the skip list (node, index levels, array headers). */
  private static final int ENTRY_OVERHEAD = 64;

  private final ConcurrentSkipListMap<byte[], byte[]> map =
      new ConcurrentSkipListMap<>(InternalKey.COMPARATOR);
  private final AtomicLong approximateBytes = new AtomicLong();
  private final long logNumber;

  public Memtable(long logNumber) {
    this.logNumber = logNumber;
  }

  public long logNumber() {
    return logNumber;
  }

  public void add(long seq, byte type, byte[] userKey, byte[] value) {
    byte[] v = value == null ? EMPTY : value;
    map.put(InternalKey.encode(userKey, seq, type), v);
    approximateBytes.addAndGet(userKey.length + 8 + v.length + ENTRY_OVERHEAD);
  }

  public long approximateBytes() {
    return approximateBytes.get();
  }

  public boolean isEmpty() {
    return map.isEmpty();
  }

  public int entryCount() {
    return map.size();
  }

  /** The newest entry for {@code userKey} with sequence <= {@code seq}. */
  public LookupResult get(byte[] userKey, long seq) {
    Map.Entry<byte[], byte[]> e = map.ceilingEntry(InternalKey.seekKey(userKey, seq));
    if (e == null || InternalKey.compareUserKey(e.getKey(), userKey) != 0) {
      return LookupResult.ABSENT;
    }
    return InternalKey.type(e.getKey()) == InternalKey.TYPE_DELETE
        ? LookupResult.DELETED
        : LookupResult.found(e.getValue().clone());
  }

  public InternalIterator iterator() {
    return new Iter(map);
  }

  static final byte[] EMPTY = new byte[0];

  private static final class Iter implements InternalIterator {
    private final NavigableMap<byte[], byte[]> map;
    private Iterator<Map.Entry<byte[], byte[]>> it;
    private Map.Entry<byte[], byte[]> current;

    Iter(NavigableMap<byte[], byte[]> map) {
      this.map = map;
    }

    @Override
    public boolean valid() {
      return current != null;
    }

    @Override
    public void seekToFirst() {
      it = map.entrySet().iterator();
      next();
    }

    @Override
    public void seek(byte[] internalKey) {
      it = map.tailMap(internalKey, true).entrySet().iterator();
      next();
    }

    @Override
    public void next() {
      current = it.hasNext() ? it.next() : null;
    }

    @Override
    public byte[] key() {
      return current.getKey();
    }

    @Override
    public byte[] value() {
      return current.getValue();
    }

    @Override
    public void close() {}
  }
}
