package io.kvstore.client;

/**
 * The client's source of monotonic time, in nanoseconds, for node health and hedge timing. Only
 * {@link #system()} reads the real clock; tests pass a fake to drive time by hand. Implementations
 * must be thread safe.
 */
@FunctionalInterface
interface Clock {
  /** Nanoseconds since an arbitrary origin; only differences are meaningful. */
  long nanoTime();

  /** The JVM's monotonic clock ({@link System#nanoTime()}). */
  static Clock system() {
    return System::nanoTime;
  }
}
