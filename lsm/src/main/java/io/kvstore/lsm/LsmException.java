package io.kvstore.lsm;

/**
 * Base of every error the engine reports. Unchecked so that the API stays usable from lambdas,
 * but always one of the typed subclasses: {@link CorruptionException}, {@link StorageIOException},
 * {@link StoreClosedException}. Background failures are kept and re-thrown (sticky) on the next
 * call, wrapped so the caller's stack is visible while the cause keeps the original.
 */
public abstract class LsmException extends RuntimeException {
  protected LsmException(String message, Throwable cause) {
    super(message, cause);
  }
}
