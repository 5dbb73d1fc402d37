package io.kvstore.clustertests.history;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A test clock for {@link History}: nanos that move only when told. Thread safe. */
public final class ManualClock implements LongSupplier {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long getAsLong() {
    return nanos.get();
  }

  public void advanceMillis(long ms) {
    nanos.addAndGet(ms * 1_000_000L);
  }

  public void advanceNanos(long n) {
    nanos.addAndGet(n);
  }
}
