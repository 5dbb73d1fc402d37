package io.kvstore.client;

import java.util.Objects;

/**
 * What one key of a multi-key call ({@link KvClient#getAll}, {@link KvClient#putAll}) came to:
 * either its result, or its own error, which the node answered for that key alone while it
 * answered the others.
 *
 * <p>Immutable, hence thread safe.
 *
 * @param <T> the result of one key: {@link GetResult} or {@link PutResult}
 */
public final class KeyResult<T> {
  private final T value;
  private final KvException error;

  private KeyResult(T value, KvException error) {
    this.value = value;
    this.error = error;
  }

  /** A key that succeeded. */
  static <T> KeyResult<T> of(T value) {
    return new KeyResult<>(Objects.requireNonNull(value, "value"), null);
  }

  /** A key that failed. */
  static <T> KeyResult<T> failed(KvException error) {
    return new KeyResult<>(null, Objects.requireNonNull(error, "error"));
  }

  /** True when the key succeeded: {@link #value()} returns its result. */
  public boolean ok() {
    return error == null;
  }

  /**
   * The key's result.
   *
   * @throws KvException the key's error ({@link #error()}) when it failed
   */
  public T value() {
    if (error != null) {
      throw error;
    }
    return value;
  }

  /**
   * The key's error, as the call of that key alone ({@code get} or {@code put}) would have thrown
   * it: its code and the node's message, with {@link KvException#address()} the node that
   * answered the multi-key call. Null when the key succeeded.
   */
  public KvException error() {
    return error;
  }

  @Override
  public String toString() {
    return ok() ? "KeyResult[" + value + "]" : "KeyResult[error: " + error.getMessage() + "]";
  }
}
