package io.kvstore.client;

import java.util.Objects;

/**
 * One write of {@link KvClient#putAll}: a value for a key with the context of an earlier read or
 * write of that key, as {@link KvClient#put(byte[], byte[], Context, WriteOptions)} takes them
 * ({@link Context#EMPTY}: a blind write, which becomes one more sibling).
 *
 * <p>The arrays are used as given, not copied: do not change them while a call that carries them
 * runs. As for any record with array components, {@code equals} compares them by identity.
 *
 * @param key the key
 * @param value the value to write
 * @param context the context of a read or write of this key, or {@link Context#EMPTY}
 */
public record Write(byte[] key, byte[] value, Context context) {
  /**
   * @throws NullPointerException if a component is null
   */
  public Write {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(context, "context (Context.EMPTY for a blind write)");
  }
}
