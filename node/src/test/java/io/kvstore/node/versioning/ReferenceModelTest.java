package io.kvstore.node.versioning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * VERSIONING.md "Tests that must exist": a deliberately simple model keeps, per key, every write
 * ever made as (dot, value, dots it superseded) and, per replica, the set of dots it has seen. A
 * write is live at a replica when the replica has seen it and no write it has seen superseded it.
 * After random interleavings of puts (blind or with stale contexts, through several coordinators
 * that crash and restart as new actors), syncs, read repairs and reads, the DVV implementation
 * must hold exactly the model's live writes (dots and values) on every replica and every read.
 */
class ReferenceModelTest {
  private static final int TRIALS = 300;
  private static final int OPS = 300;

  /** One write ever made. */
  private record Write(Dot dot, Value value, Set<Dot> superseded) {}

  /** What a client keeps from a read: the opaque context string and, for the model, its dots. */
  private record Ctx(int key, String encoded, Set<Dot> seen) {}

  /** One replica: its current actor, per key its DVV state and the model's seen dots. */
  private static final class Replica {
    final String nodeId;
    long incarnation = 1;
    SiblingSet[] state;
    List<Set<Dot>> seen = new ArrayList<>();
    SiblingSet[] snapState;
    List<Set<Dot>> snapSeen;

    Replica(String nodeId, int keys) {
      this.nodeId = nodeId;
      state = new SiblingSet[keys];
      for (int k = 0; k < keys; k++) {
        state[k] = SiblingSet.EMPTY;
        seen.add(new HashSet<>());
      }
    }

    Actor actor() {
      return new Actor(nodeId, incarnation);
    }
  }

  private static final class World {
    final Random r;
    final List<Replica> replicas = new ArrayList<>();
    final int keys;
    /** Per key (dots are per key): every write, and for each dot the writes superseding it. */
    final List<Map<Dot, Write>> writes = new ArrayList<>();
    final List<Map<Dot, Set<Dot>>> supersededBy = new ArrayList<>();
    final List<List<Ctx>> contexts = new ArrayList<>();

    World(long seed) {
      r = new Random(seed);
      keys = 1 + r.nextInt(3);
      int n = 2 + r.nextInt(4);
      for (int i = 0; i < n; i++) {
        replicas.add(new Replica("r" + i, keys));
      }
      for (int k = 0; k < keys; k++) {
        contexts.add(new ArrayList<>());
        writes.add(new HashMap<>());
        supersededBy.add(new HashMap<>());
      }
    }

    Replica any() {
      return replicas.get(r.nextInt(replicas.size()));
    }

    void step() {
      int op = r.nextInt(100);
      int k = r.nextInt(keys);
      if (op < 40) {
        put(k);
      } else if (op < 65) {
        read(k);
      } else if (op < 88) {
        Replica a = any();
        syncInto(a, any(), k);
        check(a, k);
      } else if (op < 91) {
        snapshot(any());
      } else if (op < 96) {
        crash(any());
      } else {
        Replica a = any();
        a.state[k] = SiblingSet.decode(a.state[k].encode());
        check(a, k);
      }
    }

    void put(int k) {
      Replica c = any();
      List<Ctx> known = contexts.get(k);
      Ctx ctx =
          known.isEmpty() || r.nextInt(4) == 0
              ? new Ctx(k, "", Set.of())
              : known.get(r.nextInt(known.size()));
      Value value = r.nextInt(6) == 0 ? Value.TOMBSTONE : Value.of(Gen.bytes(r, 6));
      VersionVector vv = CausalContext.parse(ctx.encoded()).vector();
      SiblingSet next = c.state[k].put(value, vv, c.actor());
      Dot dot = new Dot(c.actor(), next.context().get(c.actor()));
      assertFalse(writes.get(k).containsKey(dot), "dot " + dot + " issued twice");
      assertEquals(value, next.siblingMap().get(dot));
      writes.get(k).put(dot, new Write(dot, value, ctx.seen()));
      for (Dot s : ctx.seen()) {
        supersededBy.get(k).computeIfAbsent(s, x -> new HashSet<>()).add(dot);
      }
      c.state[k] = next;
      c.seen.get(k).addAll(ctx.seen());
      c.seen.get(k).add(dot);
      check(c, k);
      for (Replica o : replicas) {
        if (o != c && r.nextBoolean()) {
          syncInto(o, c, k);
          check(o, k);
        }
      }
    }

    void read(int k) {
      List<Replica> asked = new ArrayList<>();
      for (Replica rep : replicas) {
        if (r.nextBoolean()) {
          asked.add(rep);
        }
      }
      if (asked.isEmpty()) {
        asked.add(any());
      }
      SiblingSet merged = SiblingSet.EMPTY;
      Set<Dot> seen = new HashSet<>();
      for (Replica rep : asked) {
        merged = SiblingSet.sync(merged, rep.state[k]);
        seen.addAll(rep.seen.get(k));
      }
      assertMatchesModel(k, merged, seen, "read of key " + k + " from " + asked.size());
      contexts.get(k).add(new Ctx(k, CausalContext.of(merged.context()).encodeToString(), seen));
      if (r.nextBoolean()) {
        for (Replica rep : asked) {
          rep.state[k] = SiblingSet.sync(rep.state[k], merged);
          rep.seen.get(k).addAll(seen);
          check(rep, k);
        }
      }
    }

    void syncInto(Replica to, Replica from, int k) {
      to.state[k] = SiblingSet.sync(to.state[k], from.state[k]);
      to.seen.get(k).addAll(from.seen.get(k));
    }

    void snapshot(Replica rep) {
      rep.snapState = rep.state.clone();
      rep.snapSeen = new ArrayList<>();
      rep.seen.forEach(s -> rep.snapSeen.add(new HashSet<>(s)));
    }

    /** A restart: always a new incarnation; local state kept, lost, or rolled back. */
    void crash(Replica rep) {
      rep.incarnation++;
      int fate = r.nextInt(4);
      if (fate == 0) {
        for (int k = 0; k < keys; k++) {
          rep.state[k] = SiblingSet.EMPTY;
          rep.seen.set(k, new HashSet<>());
        }
      } else if (fate == 1 && rep.snapState != null) {
        rep.state = rep.snapState.clone();
        rep.seen = new ArrayList<>();
        rep.snapSeen.forEach(s -> rep.seen.add(new HashSet<>(s)));
      }
    }

    void check(Replica rep, int k) {
      assertMatchesModel(k, rep.state[k], rep.seen.get(k), "replica " + rep.nodeId + " key " + k);
    }

    void assertMatchesModel(int k, SiblingSet impl, Set<Dot> seen, String where) {
      TreeMap<Dot, Value> live = new TreeMap<>();
      for (Dot d : seen) {
        Set<Dot> by = supersededBy.get(k).getOrDefault(d, Set.of());
        if (by.stream().noneMatch(seen::contains)) {
          live.put(d, writes.get(k).get(d).value());
        }
      }
      assertEquals(live, impl.siblingMap(), where);
      boolean deleted = !live.isEmpty() && live.values().stream().allMatch(Value::tombstone);
      assertEquals(deleted, impl.isDeleted(), where + " deleted");
      long liveCount = live.values().stream().filter(v -> !v.tombstone()).count();
      assertEquals(liveCount, impl.liveValues().size(), where + " live values");
    }

    /** Anti-entropy until quiet: every replica ends with the same state, still the model's. */
    void converge() {
      for (int k = 0; k < keys; k++) {
        for (Replica a : replicas) {
          for (Replica b : replicas) {
            syncInto(a, b, k);
          }
        }
        for (Replica a : replicas) {
          for (Replica b : replicas) {
            syncInto(a, b, k);
          }
          check(a, k);
          assertEquals(replicas.get(0).state[k], a.state[k], "converged state of key " + k);
        }
      }
    }
  }

  @Test
  void dvvHoldsExactlyTheModelsLiveWritesUnderRandomInterleavings() {
    Seeds.trials(
        "ReferenceModelTest",
        TRIALS,
        seed -> {
          World w = new World(seed);
          for (int i = 0; i < OPS; i++) {
            w.step();
          }
          w.converge();
        });
  }
}
