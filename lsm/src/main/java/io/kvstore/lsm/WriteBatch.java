package io.kvstore.lsm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A group of puts and deletes applied atomically by {@link LsmStore#write}: after a crash either
 * all of them are present or none. Later operations on the same key win. Not thread safe; the
 * store copies nothing, so do not modify the arrays after adding them.
 */
public final class WriteBatch {
  /** One operation; {@code value} is null for a delete. */
  public record Op(byte[] key, byte[] value) {
    public boolean isDelete() {
      return value == null;
    }
  }

  private final List<Op> ops = new ArrayList<>();
  private long approximateBytes;

  public WriteBatch put(byte[] key, byte[] value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    ops.add(new Op(key, value));
    approximateBytes += key.length + value.length + 12;
    return this;
  }

  public WriteBatch delete(byte[] key) {
    Objects.requireNonNull(key, "key");
    ops.add(new Op(key, null));
    approximateBytes += key.length + 8;
    return this;
  }

  public int size() {
    return ops.size();
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  public List<Op> ops() {
    return Collections.unmodifiableList(ops);
  }

  /** Approximate encoded size in bytes. */
  public long approximateBytes() {
    return approximateBytes;
  }

  public void clear() {
    ops.clear();
    approximateBytes = 0;
  }
}
