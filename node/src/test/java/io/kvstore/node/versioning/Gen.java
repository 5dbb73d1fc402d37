package io.kvstore.node.versioning;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * Seeded generators of actors, clocks and sibling sets for property tests. Values are a
 * function of the dot ({@link #valueFor}), as in any real history where a dot is never reused.
 *
 * <p>Thread safety: stateless; the caller owns the {@link Random}.
 */
final class Gen {
  private static final String[] NODE_IDS = {"a", "b", "node-3", "n\u00f6de-\u00fc", "z"};

  private Gen() {}

  static Actor actor(Random r) {
    return new Actor(NODE_IDS[r.nextInt(NODE_IDS.length)], 1 + r.nextInt(3));
  }

  static VersionVector vector(Random r, int maxCounter) {
    TreeMap<Actor, Long> m = new TreeMap<>();
    int n = r.nextInt(5);
    for (int i = 0; i < n; i++) {
      m.put(actor(r), 1L + r.nextInt(maxCounter));
    }
    return VersionVector.of(m);
  }

  /** The value every history assigns to {@code dot}: a tombstone for some, bytes for the rest. */
  static Value valueFor(Dot dot) {
    if (Math.floorMod(dot.hashCode(), 7) == 0) {
      return Value.TOMBSTONE;
    }
    return Value.of(dot.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Any valid state: a random clock and a random subset of the dots it covers. */
  static SiblingSet arbitrary(Random r) {
    VersionVector vv = vector(r, 6);
    TreeMap<Dot, Value> sib = new TreeMap<>();
    vv.entries()
        .forEach(
            (a, n) -> {
              for (long c = 1; c <= n; c++) {
                if (r.nextInt(3) == 0) {
                  Dot d = new Dot(a, c);
                  sib.put(d, valueFor(d));
                }
              }
            });
    return SiblingSet.of(vv, sib);
  }

  /**
   * States reachable through puts and syncs: {@code replicas} replicas, each its own actor, take
   * random puts (blind, or with the context of some replica's earlier state) and random syncs.
   */
  static List<SiblingSet> reachable(Random r, int replicas, int steps) {
    List<SiblingSet> states = new ArrayList<>();
    List<Actor> actors = new ArrayList<>();
    for (int i = 0; i < replicas; i++) {
      states.add(SiblingSet.EMPTY);
      actors.add(new Actor("r" + i, 1 + r.nextInt(2)));
    }
    List<VersionVector> seen = new ArrayList<>(List.of(VersionVector.EMPTY));
    for (int s = 0; s < steps; s++) {
      int i = r.nextInt(replicas);
      if (r.nextInt(3) == 0) {
        int j = r.nextInt(replicas);
        states.set(i, SiblingSet.sync(states.get(i), states.get(j)));
      } else {
        VersionVector ctx = seen.get(r.nextInt(seen.size()));
        Actor a = actors.get(i);
        Dot d = new Dot(a, states.get(i).context().merge(ctx).get(a) + 1);
        states.set(i, states.get(i).put(valueFor(d), ctx, a));
      }
      seen.add(states.get(r.nextInt(replicas)).context());
    }
    return states;
  }

  static byte[] bytes(Random r, int maxLen) {
    byte[] b = new byte[r.nextInt(maxLen + 1)];
    r.nextBytes(b);
    return b;
  }
}
