package io.kvstore.lsm;

import java.util.Iterator;

/**
 * A scan over live user keys in ascending unsigned order, as of the moment the scan started
 * (snapshot isolation: writes, flushes and compactions after that are invisible to it). Must be
 * closed: it pins the memtables and table files it reads. Not thread safe.
 */
public interface KvIterator extends Iterator<KvIterator.Entry>, AutoCloseable {
  /** A key and its value. */
  record Entry(byte[] key, byte[] value) {}

  @Override
  void close();
}
