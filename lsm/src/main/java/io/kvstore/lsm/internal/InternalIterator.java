package io.kvstore.lsm.internal;

import java.io.Closeable;

/**
 * A cursor over internal entries (internal key -> value) in {@link InternalKey#COMPARATOR} order.
 * Used for memtables, SSTables and their merge. Not thread safe. Deletion entries are returned
 * like any other (type in the key trailer); their value is empty.
 *
 * <p>Errors (I/O, corruption) are thrown as {@link io.kvstore.lsm.LsmException} from the
 * positioning methods.
 */
public interface InternalIterator extends Closeable {
  boolean valid();

  void seekToFirst();

  /** Positions at the first entry with key >= {@code internalKey}. */
  void seek(byte[] internalKey);

  void next();

  /** The current internal key; valid() must be true. Callers must not modify it. */
  byte[] key();

  /** The current value; valid() must be true. Callers must not modify it. */
  byte[] value();

  @Override
  void close();
}
