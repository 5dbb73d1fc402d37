package io.kvstore.bench.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One expensive client (a {@code KvClient}, a {@code CqlSession}) shared by all YCSB threads of a
 * JVM that ask for the same settings, reference counted: the first {@link #acquire} builds it,
 * the last {@link #release} closes it.
 *
 * <p>Why a binding keeps one of these in a static field: YCSB makes one {@code DB} object per
 * client thread, by reflection, with nothing shared between them but the JVM; a client per
 * thread would mean 64 gRPC channels or CQL sessions where an application has one. This is the
 * only static mutable state of the bindings.
 *
 * <p>Thread safe (all methods synchronized; building and closing happen under the lock, so a
 * release never races a concurrent acquire of the same key).
 *
 * @param <T> the shared client
 */
final class SharedResource<T extends AutoCloseable> {
  private final Map<String, Entry<T>> entries = new HashMap<>();

  private static final class Entry<T> {
    final T value;
    int references;

    Entry(T value) {
      this.value = value;
    }
  }

  /** The client for {@code key}, built by {@code factory} if no thread holds one now. */
  synchronized T acquire(String key, Supplier<T> factory) {
    Entry<T> e = entries.get(key);
    if (e == null) {
      e = new Entry<>(factory.get());
      entries.put(key, e);
    }
    e.references++;
    return e.value;
  }

  /**
   * Gives one reference back; the last one closes the client.
   *
   * @throws IllegalStateException if {@code key} is not held
   */
  synchronized void release(String key) throws Exception {
    Entry<T> e = entries.get(key);
    if (e == null) {
      throw new IllegalStateException("release of '" + key + "', which is not held");
    }
    if (--e.references == 0) {
      entries.remove(key);
      e.value.close();
    }
  }

  /** How many threads hold the client for {@code key} (0: none is open). */
  synchronized int references(String key) {
    Entry<T> e = entries.get(key);
    return e == null ? 0 : e.references;
  }
}
