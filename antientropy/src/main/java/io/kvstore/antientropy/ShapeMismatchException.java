package io.kvstore.antientropy;

/**
 * A remote tree answered with a different number of roots, branches or leaves than the local
 * tree's shape implies: the two replicas are configured with different partition counts or tree
 * shapes, or the remote implementation is broken. Not transient; retrying will not help.
 */
public final class ShapeMismatchException extends RuntimeException {
  public ShapeMismatchException(String message) {
    super(message);
  }
}
