package io.kvstore.node.versioning;

import com.google.common.collect.ImmutableSortedMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A version vector: for each actor, how many of its writes (to one key) have been seen. An entry
 * (a, n) stands for the dots (a, 1) .. (a, n). Absent actors count as 0.
 *
 * <p>Thread safety: immutable value; every operation returns a new vector.
 *
 * <p>Invariants: entries are sorted by actor; every stored counter is >= 1 (zero entries are
 * never stored, so equal histories have equal representations).
 */
public final class VersionVector {
  public static final VersionVector EMPTY = new VersionVector(ImmutableSortedMap.of());

  /** Smallest encoded entry: 1-byte id length, 1-byte id, incarnation, counter. */
  static final int MIN_ENTRY_BYTES = 1 + 1 + 8 + 8;

  private final ImmutableSortedMap<Actor, Long> entries;

  private VersionVector(ImmutableSortedMap<Actor, Long> entries) {
    this.entries = entries;
  }

  /** A vector with the given entries; every counter must be >= 1. */
  public static VersionVector of(Map<Actor, Long> entries) {
    for (Map.Entry<Actor, Long> e : entries.entrySet()) {
      if (e.getKey() == null || e.getValue() == null || e.getValue() < 1) {
        throw new IllegalArgumentException("bad version vector entry " + e);
      }
    }
    return new VersionVector(ImmutableSortedMap.copyOf(entries));
  }

  /** How many writes of {@code actor} this vector has seen (0 if none). */
  public long get(Actor actor) {
    Long n = entries.get(actor);
    return n == null ? 0 : n;
  }

  /** This vector with {@code actor}'s counter raised by one. */
  public VersionVector increment(Actor actor) {
    TreeMap<Actor, Long> m = new TreeMap<>(entries);
    m.put(actor, Math.addExact(get(actor), 1L));
    return new VersionVector(ImmutableSortedMap.copyOfSorted(m));
  }

  /** This vector with {@code actor}'s counter set to {@code counter}, which must exceed it. */
  public VersionVector advance(Actor actor, long counter) {
    if (counter <= get(actor)) {
      throw new IllegalArgumentException(
          "counter " + counter + " of " + actor + " does not advance " + get(actor));
    }
    TreeMap<Actor, Long> m = new TreeMap<>(entries);
    m.put(actor, counter);
    return new VersionVector(ImmutableSortedMap.copyOfSorted(m));
  }

  /** Pointwise maximum: the history of both. */
  public VersionVector merge(VersionVector other) {
    if (other.entries.isEmpty() || this.equals(other)) {
      return this;
    }
    if (entries.isEmpty()) {
      return other;
    }
    TreeMap<Actor, Long> m = new TreeMap<>(entries);
    other.entries.forEach((a, n) -> m.merge(a, n, Math::max));
    return new VersionVector(ImmutableSortedMap.copyOfSorted(m));
  }

  /** True when this vector has seen {@code dot}: {@code this[dot.actor] >= dot.counter}. */
  public boolean covers(Dot dot) {
    return get(dot.actor()) >= dot.counter();
  }

  /** True when this vector has seen everything {@code other} has (pointwise >=). */
  public boolean descends(VersionVector other) {
    for (Map.Entry<Actor, Long> e : other.entries.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** How this vector relates to {@code other}: BEFORE means this is strictly older. */
  public Occurred compare(VersionVector other) {
    boolean thisAhead = false;
    boolean otherAhead = false;
    Iterator<Map.Entry<Actor, Long>> a = entries.entrySet().iterator();
    Iterator<Map.Entry<Actor, Long>> b = other.entries.entrySet().iterator();
    Map.Entry<Actor, Long> x = next(a);
    Map.Entry<Actor, Long> y = next(b);
    while ((x != null || y != null) && !(thisAhead && otherAhead)) {
      int c = x == null ? 1 : y == null ? -1 : x.getKey().compareTo(y.getKey());
      if (c < 0) {
        thisAhead = true;
        x = next(a);
      } else if (c > 0) {
        otherAhead = true;
        y = next(b);
      } else {
        int d = Long.compare(x.getValue(), y.getValue());
        thisAhead |= d > 0;
        otherAhead |= d < 0;
        x = next(a);
        y = next(b);
      }
    }
    if (thisAhead && otherAhead) {
      return Occurred.CONCURRENT;
    }
    return thisAhead ? Occurred.AFTER : otherAhead ? Occurred.BEFORE : Occurred.EQUAL;
  }

  /** The entries, sorted by actor; every counter >= 1. */
  public NavigableMap<Actor, Long> entries() {
    return entries;
  }

  public int size() {
    return entries.size();
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VersionVector v && entries.equals(v.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return entries.toString();
  }

  /** Writes i32 count, then per actor (ascending): actor, i64 counter. See FORMAT.md. */
  void writeTo(ByteWriter out) {
    out.i32(entries.size());
    entries.forEach(
        (actor, n) -> {
          actor.writeTo(out);
          out.i64(n);
        });
  }

  /** Reads what {@link #writeTo} wrote; rejects unordered or repeated actors and counters < 1. */
  static VersionVector readFrom(ByteReader in, int maxActors) {
    int n = in.count("actor", maxActors, MIN_ENTRY_BYTES);
    ImmutableSortedMap.Builder<Actor, Long> b = ImmutableSortedMap.naturalOrder();
    Actor prev = null;
    for (int i = 0; i < n; i++) {
      int at = in.position();
      Actor actor = Actor.readFrom(in);
      if (prev != null && prev.compareTo(actor) >= 0) {
        throw in.malformed(
            at,
            prev.equals(actor)
                ? "duplicate actor " + actor
                : "actors out of order: " + actor + " after " + prev);
      }
      int counterAt = in.position();
      long counter = in.i64();
      if (counter < 1) {
        throw in.malformed(counterAt, "counter " + counter + " of " + actor + " < 1");
      }
      b.put(actor, counter);
      prev = actor;
    }
    return new VersionVector(b.build());
  }

  private static <T> T next(Iterator<T> it) {
    return it.hasNext() ? it.next() : null;
  }
}
