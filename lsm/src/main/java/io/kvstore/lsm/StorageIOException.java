package io.kvstore.lsm;

import java.io.IOException;

/** An I/O operation failed (disk full, permission, device error). Wraps the original exception. */
public final class StorageIOException extends LsmException {
  public StorageIOException(String message, IOException cause) {
    super(message + ": " + cause, cause);
  }

  public StorageIOException(String message, Throwable cause) {
    super(message + (cause == null ? "" : ": " + cause), cause);
  }
}
