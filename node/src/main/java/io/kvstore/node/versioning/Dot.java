package io.kvstore.node.versioning;

/**
 * One event of one actor: the {@code counter}-th write the actor coordinated for a key. Every
 * sibling carries the dot of the write that created it, so two writes through the same coordinator
 * stay distinct siblings even when their clocks would compare equal.
 *
 * <p>Ordering: by actor, then counter. Thread safety: immutable value. Invariant: counter >= 1.
 */
public record Dot(Actor actor, long counter) implements Comparable<Dot> {
  public Dot {
    if (actor == null) {
      throw new IllegalArgumentException("actor is null");
    }
    if (counter < 1) {
      throw new IllegalArgumentException("dot counter must be >= 1, got " + counter);
    }
  }

  @Override
  public int compareTo(Dot o) {
    int c = actor.compareTo(o.actor);
    return c != 0 ? c : Long.compare(counter, o.counter);
  }

  @Override
  public String toString() {
    return "(" + actor + "," + counter + ")";
  }
}
