package io.kvstore.lsm.internal;

/**
 * Outcome of a point lookup in one source (memtable or table): the key's newest visible entry is a
 * value, a tombstone, or the source has no entry for it. Immutable.
 */
public record LookupResult(Kind kind, byte[] value) {
  /** What a source knows about a key. */
  public enum Kind {
    FOUND,
    DELETED,
    ABSENT
  }

  public static final LookupResult ABSENT = new LookupResult(Kind.ABSENT, null);
  public static final LookupResult DELETED = new LookupResult(Kind.DELETED, null);

  public static LookupResult found(byte[] value) {
    return new LookupResult(Kind.FOUND, value);
  }
}
