package io.kvstore.lsm;

/** The store was closed (or is closing); no further operations are accepted. */
public final class StoreClosedException extends LsmException {
  public StoreClosedException(String message) {
    super(message, null);
  }
}
