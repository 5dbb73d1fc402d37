package io.kvstore.lsm.sstable;

/**
 * Outcome of {@link TableReader#get}: the newest visible entry for a user key was a put ({@link
 * Kind#FOUND}, with its value), a tombstone ({@link Kind#DELETED}), or the table has no visible
 * entry for the key ({@link Kind#ABSENT}; look in older tables). Immutable value.
 *
 * @param kind what was found
 * @param value the value when FOUND (a fresh array owned by the caller), otherwise null
 */
public record LookupResult(Kind kind, byte[] value) {
  public enum Kind {
    FOUND,
    DELETED,
    ABSENT
  }

  public static final LookupResult ABSENT = new LookupResult(Kind.ABSENT, null);
  public static final LookupResult DELETED = new LookupResult(Kind.DELETED, null);

  public LookupResult {
    if ((kind == Kind.FOUND) != (value != null)) {
      throw new IllegalArgumentException("value must be present exactly when FOUND");
    }
  }

  public static LookupResult found(byte[] value) {
    return new LookupResult(Kind.FOUND, value);
  }

  public boolean isFound() {
    return kind == Kind.FOUND;
  }
}
