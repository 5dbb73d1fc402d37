package io.kvstore.lsm.internal;

import io.kvstore.lsm.KvIterator;
import java.util.NoSuchElementException;

/**
 * Turns a merged internal stream into the user-visible scan: only entries with sequence <= the
 * snapshot, only the newest of each user key, tombstoned keys skipped, and bounded to [from, to).
 * Holds a SuperVersion reference until closed. Not thread safe.
 */
public final class ScanIterator implements KvIterator {
  private final InternalIterator source;
  private final SuperVersion pinned;
  private final long snapshotSeq;
  private final byte[] to;
  private Entry next;
  private boolean closed;

  public ScanIterator(
      InternalIterator source, SuperVersion pinned, long snapshotSeq, byte[] from, byte[] to) {
    this.source = source;
    this.pinned = pinned;
    this.snapshotSeq = snapshotSeq;
    this.to = to;
    boolean ok = false;
    try {
      if (from == null) {
        source.seekToFirst();
      } else {
        source.seek(InternalKey.seekKey(from, InternalKey.MAX_SEQ));
      }
      advance();
      ok = true;
    } finally {
      if (!ok) {
        close();
      }
    }
  }

  @Override
  public boolean hasNext() {
    return next != null;
  }

  @Override
  public Entry next() {
    if (next == null) {
      throw new NoSuchElementException();
    }
    Entry e = next;
    advance();
    return e;
  }

  private void advance() {
    next = null;
    while (source.valid()) {
      byte[] ikey = source.key();
      if (to != null && InternalKey.compareUserKey(ikey, to) >= 0) {
        break;
      }
      if (InternalKey.seq(ikey) > snapshotSeq) {
        source.next();
        continue;
      }
      byte[] userKey = InternalKey.userKey(ikey);
      boolean live = InternalKey.type(ikey) == InternalKey.TYPE_PUT;
      byte[] value = live ? source.value() : null;
      // Skip the older versions of this key.
      source.next();
      while (source.valid() && InternalKey.compareUserKey(source.key(), userKey) == 0) {
        source.next();
      }
      if (live) {
        next = new Entry(userKey, value);
        return;
      }
    }
    close();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        source.close();
      } finally {
        pinned.unref();
      }
    }
  }
}
