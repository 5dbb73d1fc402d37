package io.kvstore.node.versioning;

import io.kvstore.lsm.env.DefaultEnv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * VERSIONING.md "Actor identity" (Riak KV679): node n1 coordinates blind writes to a few keys and
 * replicates each to n2 and n3 only sometimes; it restarts often, and each restart may lose its
 * recent local state (kept, wiped, or rolled back to an older snapshot). With actors taken from
 * {@link IncarnationStore}, n1 never issues a dot twice and, since blind writes supersede nothing,
 * every write that reached n2 or n3 is still a live value after anti-entropy.
 */
class CrashRestartTest {
  private static final int KEYS = 3;
  private static final Actor N2 = new Actor("n2", 1);

  @TempDir Path tmp;

  private record Outcome(boolean dotReused, boolean ackedWriteLost) {}

  private static Outcome run(Random r, LongSupplier incarnations) {
    SiblingSet[] n1 = new SiblingSet[KEYS];
    SiblingSet[] n2 = new SiblingSet[KEYS];
    SiblingSet[] n3 = new SiblingSet[KEYS];
    for (int k = 0; k < KEYS; k++) {
      n1[k] = n2[k] = n3[k] = SiblingSet.EMPTY;
    }
    SiblingSet[] snapshot = n1.clone();
    List<Set<Dot>> issued = new ArrayList<>();
    List<Set<String>> acked = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      issued.add(new HashSet<>());
      acked.add(new HashSet<>());
    }
    boolean reused = false;
    int restarts = 5 + r.nextInt(10);
    int value = 0;
    for (int run = 0; run < restarts; run++) {
      Actor me = new Actor("n1", incarnations.getAsLong());
      int fate = r.nextInt(3);
      if (fate == 1) {
        java.util.Arrays.fill(n1, SiblingSet.EMPTY);
      } else if (fate == 2) {
        n1 = snapshot.clone();
      }
      for (int w = r.nextInt(8); w > 0; w--) {
        int k = r.nextInt(KEYS);
        String v = "v" + value++;
        n1[k] = n1[k].put(v.getBytes(), VersionVector.EMPTY, me);
        reused |= !issued.get(k).add(new Dot(me, n1[k].context().get(me)));
        if (r.nextBoolean()) {
          n2[k] = SiblingSet.sync(n2[k], n1[k]);
          acked.get(k).add(v);
        }
        if (r.nextBoolean()) {
          n3[k] = SiblingSet.sync(n3[k], n1[k]);
          acked.get(k).add(v);
        }
        if (r.nextInt(4) == 0) {
          n2[k] = n2[k].put(("n2-" + value++).getBytes(), VersionVector.EMPTY, N2);
        }
        if (r.nextInt(5) == 0) {
          snapshot = n1.clone();
        }
      }
    }
    boolean lost = false;
    for (int k = 0; k < KEYS; k++) {
      SiblingSet all = SiblingSet.sync(SiblingSet.sync(n1[k], n2[k]), n3[k]);
      Set<String> live = new HashSet<>();
      all.liveValues().forEach(b -> live.add(new String(b)));
      lost |= !live.containsAll(acked.get(k));
    }
    return new Outcome(reused, lost);
  }

  @Test
  void aRestartedNodeNeverReusesADotAndNoAckedWriteIsLost() {
    Seeds.trials(
        "CrashRestartTest#aRestartedNodeNeverReusesADotAndNoAckedWriteIsLost",
        200,
        seed -> {
          Path meta;
          try {
            meta = Files.createTempDirectory(tmp, "n1").resolve("meta");
          } catch (IOException e) {
            throw new AssertionError(e);
          }
          Outcome o = run(new Random(seed), () -> IncarnationStore.nextIncarnation(DefaultEnv.INSTANCE, meta));
          assertEquals(new Outcome(false, false), o);
        });
  }

  /** Control: the same scenarios with a fixed incarnation do reuse dots and lose writes. */
  @Test
  void withoutNewIncarnationsTheSameScenariosReuseDotsAndLoseWrites() {
    boolean sawReuse = false;
    boolean sawLoss = false;
    Random seeds = new Random(679);
    for (int i = 0; i < 200 && !(sawReuse && sawLoss); i++) {
      Outcome o = run(new Random(seeds.nextLong()), () -> 1);
      sawReuse |= o.dotReused();
      sawLoss |= o.ackedWriteLost();
    }
    assertTrue(sawReuse && sawLoss, "reuse " + sawReuse + ", loss " + sawLoss);
  }
}
