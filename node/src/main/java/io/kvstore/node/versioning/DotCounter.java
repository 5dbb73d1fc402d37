package io.kvstore.node.versioning;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The counters one actor (one incarnation of a node) gives its new dots, shared by every key.
 * Per-key counters ({@code vv[actor] + 1}) would start again at 1 for a key whose tombstone was
 * purged, and the new value would reuse the dot of the value the delete removed: a client still
 * holding the old context would then supersede a write it never saw. A counter shared by all keys
 * of one incarnation never repeats, and a new incarnation is a new actor.
 *
 * <p>Thread safe. Invariant: {@link #next} results strictly increase.
 */
public final class DotCounter {
  private final AtomicLong last = new AtomicLong();

  /** A counter above both every earlier result and {@code floor} (the key's {@code vv[actor]}). */
  public long next(long floor) {
    return last.updateAndGet(c -> Math.addExact(Math.max(c, floor), 1L));
  }
}
