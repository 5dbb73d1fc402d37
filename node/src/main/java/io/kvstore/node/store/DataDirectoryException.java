package io.kvstore.node.store;

/**
 * A data directory this node cannot use as it is: written in another layout (older or newer
 * kvstore), or with an unreadable layout file. The message names the directory, the problem and
 * what an operator can do; nothing in the directory was changed.
 */
public final class DataDirectoryException extends RuntimeException {
  public DataDirectoryException(String message) {
    super(message);
  }
}
