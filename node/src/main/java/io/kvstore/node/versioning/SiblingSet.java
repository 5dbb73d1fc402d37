package io.kvstore.node.versioning;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSortedMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The state of one key on one replica, as a dotted version vector set (VERSIONING.md; Almeida et
 * al. 2014): a version vector {@code vv} (the causal history seen for the key) and the siblings,
 * a map dot -> value of the writes not yet superseded. Each write carries its own dot, so
 * concurrent writes through the same coordinator stay distinct, and a write supersedes exactly the
 * siblings its context covers.
 *
 * <p>Thread safety: immutable value; operations return new sets.
 *
 * <p>Invariants: {@code vv} covers every sibling's dot; siblings are sorted by dot. For states
 * reachable through {@link #put} and {@link #sync}, one dot always maps to one value (actors are
 * never reused, see {@link IncarnationStore}).
 */
public final class SiblingSet {
  public static final SiblingSet EMPTY =
      new SiblingSet(VersionVector.EMPTY, ImmutableSortedMap.of());

  private final VersionVector vv;
  private final ImmutableSortedMap<Dot, Value> siblings;

  private SiblingSet(VersionVector vv, ImmutableSortedMap<Dot, Value> siblings) {
    this.vv = vv;
    this.siblings = siblings;
  }

  /** A set with the given clock and siblings; rejects a sibling whose dot {@code vv} misses. */
  public static SiblingSet of(VersionVector vv, Map<Dot, Value> siblings) {
    for (Map.Entry<Dot, Value> e : siblings.entrySet()) {
      if (e.getValue() == null || !vv.covers(e.getKey())) {
        throw new IllegalArgumentException("sibling " + e + " not covered by clock " + vv);
      }
    }
    return new SiblingSet(vv, ImmutableSortedMap.copyOf(siblings));
  }

  /** Coordinated write of client bytes; see {@link #put(Value, VersionVector, Actor)}. */
  public SiblingSet put(byte[] value, VersionVector ctx, Actor actor) {
    return put(Value.of(value), ctx, actor);
  }

  /** Coordinated delete: a write of a tombstone with the client's context. */
  public SiblingSet delete(VersionVector ctx, Actor actor) {
    return put(Value.TOMBSTONE, ctx, actor);
  }

  /**
   * Coordinated write through {@code actor} with the context the client read ({@link
   * VersionVector#EMPTY} for a blind write): drops the siblings {@code ctx} covers, sets {@code vv
   * := max(vv, ctx)}, increments {@code vv[actor]} and adds the sibling (actor, vv[actor]).
   *
   * @throws ArithmeticException if the actor's counter would overflow
   */
  public SiblingSet put(Value value, VersionVector ctx, Actor actor) {
    return put(value, ctx, actor, Math.addExact(vv.merge(ctx).get(actor), 1L));
  }

  /**
   * As {@link #put(Value, VersionVector, Actor)}, with the new dot's counter chosen by the caller:
   * any value above {@code max(vv, ctx)[actor]}. A node takes it from its {@link DotCounter}, so a
   * dot is never issued twice by one actor even for a key whose history was purged (a tombstone
   * removed): {@code vv[actor]} then jumps past the dots issued for other keys, which covers no dot
   * of this key that was not already seen.
   */
  public SiblingSet put(Value value, VersionVector ctx, Actor actor, long counter) {
    TreeMap<Dot, Value> kept = new TreeMap<>();
    siblings.forEach(
        (dot, v) -> {
          if (!ctx.covers(dot)) {
            kept.put(dot, v);
          }
        });
    VersionVector next = vv.merge(ctx).advance(actor, counter);
    kept.put(new Dot(actor, counter), value);
    return new SiblingSet(next, ImmutableSortedMap.copyOfSorted(kept));
  }

  /**
   * Merge of two replicas' states: keeps a sibling of one side if the other side holds the same
   * dot or has not seen it, and takes the pointwise max of the clocks. Commutative, associative
   * and idempotent.
   */
  public static SiblingSet sync(SiblingSet a, SiblingSet b) {
    if (a.equals(b)) {
      return a;
    }
    TreeMap<Dot, Value> kept = new TreeMap<>();
    a.siblings.forEach(
        (dot, v) -> {
          Value other = b.siblings.get(dot);
          if (other != null) {
            kept.put(dot, pickSame(v, other));
          } else if (!b.vv.covers(dot)) {
            kept.put(dot, v);
          }
        });
    b.siblings.forEach(
        (dot, v) -> {
          if (!a.siblings.containsKey(dot) && !a.vv.covers(dot)) {
            kept.put(dot, v);
          }
        });
    return new SiblingSet(a.vv.merge(b.vv), ImmutableSortedMap.copyOfSorted(kept));
  }

  /**
   * How this state relates to {@code other}, by clock: BEFORE means this is strictly older (and
   * {@code sync(this, other)} equals {@code other}). Equal clocks with different siblings (only
   * possible after a broken invariant) answer CONCURRENT.
   */
  public Occurred compare(SiblingSet other) {
    Occurred o = vv.compare(other.vv);
    if (o == Occurred.EQUAL && !siblings.equals(other.siblings)) {
      return Occurred.CONCURRENT;
    }
    return o;
  }

  /** All siblings, tombstones included, sorted by dot. */
  public List<Sibling> siblings() {
    List<Sibling> out = new ArrayList<>(siblings.size());
    siblings.forEach((dot, v) -> out.add(new Sibling(dot, v)));
    return out;
  }

  /** The siblings as a map dot -> value, sorted by dot. */
  public NavigableMap<Dot, Value> siblingMap() {
    return siblings;
  }

  /** The bytes of the non-tombstone siblings, in dot order (copies). */
  public List<byte[]> liveValues() {
    ImmutableList.Builder<byte[]> out = ImmutableList.builder();
    for (Value v : siblings.values()) {
      if (!v.tombstone()) {
        out.add(v.bytes());
      }
    }
    return out.build();
  }

  /** True when at least one sibling remains and all of them are tombstones. */
  public boolean isDeleted() {
    return !siblings.isEmpty() && siblings.values().stream().allMatch(Value::tombstone);
  }

  /** True when there are no siblings (the key was never written here). */
  public boolean isEmpty() {
    return siblings.isEmpty();
  }

  /** The clock to hand to a client as its causal context (see {@link CausalContext}). */
  public VersionVector context() {
    return vv;
  }

  /** The canonical binary form (FORMAT.md): equal sets encode to equal bytes. */
  public byte[] encode() {
    return SiblingSetFormat.encode(vv, siblings);
  }

  /**
   * Decodes and validates {@link #encode}'s output.
   *
   * @throws MalformedVersionException naming the problem and its offset
   */
  public static SiblingSet decode(byte[] bytes) {
    SiblingSetFormat.Decoded d = SiblingSetFormat.decode(bytes);
    return new SiblingSet(d.vv(), d.siblings());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SiblingSet s && vv.equals(s.vv) && siblings.equals(s.siblings);
  }

  @Override
  public int hashCode() {
    return vv.hashCode() * 31 + siblings.hashCode();
  }

  @Override
  public String toString() {
    return "SiblingSet{vv=" + vv + ", siblings=" + siblings + "}";
  }

  /**
   * One dot, two values: only after a dot was reused (the bug incarnations prevent). Pick
   * deterministically so that replicas still converge.
   */
  private static Value pickSame(Value x, Value y) {
    if (x.equals(y)) {
      return x;
    }
    int c = Boolean.compare(x.tombstone(), y.tombstone());
    if (c == 0) {
      c = Arrays.compareUnsigned(x.unsafeBytes(), y.unsafeBytes());
    }
    return c >= 0 ? x : y;
  }
}
