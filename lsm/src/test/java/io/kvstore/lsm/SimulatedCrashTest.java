package io.kvstore.lsm;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.lsm.TestStores.Key;
import io.kvstore.lsm.env.FaultInjectingEnv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Machine crashes simulated by {@link FaultInjectingEnv}: at a random moment the disk stops
 * accepting changes and loses every byte that was not fsynced. Under {@code group} sync the
 * reopened store must hold exactly every acknowledged write. Under {@code none} it must hold a
 * prefix of the writes (no holes, no reordering) that includes everything before the last
 * explicit flush.
 */
class SimulatedCrashTest {
  @TempDir Path dir;

  static List<Long> seeds() {
    List<Long> s = new ArrayList<>();
    for (long i = 0; i < 16; i++) {
      s.add(0xc4a5_0000L + i);
    }
    return s;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void groupSyncLosesNothingAcknowledged(long seed) throws Exception {
    run(seed, SyncPolicy.group());
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void noSyncRecoversAPrefixOfTheWrites(long seed) throws Exception {
    run(seed, SyncPolicy.none());
  }

  private void run(long seed, SyncPolicy policy) throws Exception {
    Random rnd = new Random(seed);
    TreeMap<Key, byte[]> model = new TreeMap<>();
    List<TreeMap<Key, byte[]>> history = new ArrayList<>();
    int durableFrom = 0;
    for (int crash = 0; crash < 4; crash++) {
      FaultInjectingEnv env = new FaultInjectingEnv();
      Options options = TestStores.tiny().env(env).syncPolicy(policy).build();
      LsmStore store = LsmStore.open(dir, options);
      history.clear();
      history.add(new TreeMap<>(model));
      durableFrom = 0;
      int ops = 50 + rnd.nextInt(400);
      for (int i = 0; i < ops; i++) {
        int op = rnd.nextInt(100);
        if (op < 60) {
          byte[] k = ModelBasedTest.key(rnd);
          byte[] v = ModelBasedTest.value(rnd);
          store.put(k, v);
          model.put(new Key(k), v);
        } else if (op < 75) {
          byte[] k = ModelBasedTest.key(rnd);
          store.delete(k);
          model.remove(new Key(k));
        } else if (op < 90) {
          WriteBatch b = new WriteBatch();
          for (int j = 0; j < 5; j++) {
            byte[] k = ModelBasedTest.key(rnd);
            byte[] v = ModelBasedTest.value(rnd);
            b.put(k, v);
            model.put(new Key(k), v);
          }
          store.write(b);
        } else if (op < 97) {
          store.flush();
          durableFrom = history.size();
        } else {
          store.compact();
          durableFrom = history.size();
        }
        history.add(new TreeMap<>(model));
      }
      // The machine dies: nothing more reaches the disk, unsynced bytes are gone.
      env.failWritesAfter(0);
      env.failSyncs(true);
      env.failRenames(true);
      env.simulateCrash();
      try {
        store.close();
      } catch (LsmException expected) {
        // The crashed store cannot sync its log; that is the point.
      }
      model = checkRecovered(seed, crash, policy, history, durableFrom);
    }
  }

  /** Reopens and returns the recovered state, which becomes the model for the next round. */
  private TreeMap<Key, byte[]> checkRecovered(
      long seed, int crash, SyncPolicy policy, List<TreeMap<Key, byte[]>> history, int from) {
    String where = "seed " + seed + " crash " + crash + " " + policy;
    TreeMap<Key, byte[]> recovered = new TreeMap<>();
    try (LsmStore store = LsmStore.open(dir, TestStores.tiny().build());
        KvIterator it = store.scan(null, null)) {
      while (it.hasNext()) {
        KvIterator.Entry e = it.next();
        recovered.put(new Key(e.key()), e.value());
      }
    }
    if (policy.mode() == SyncPolicy.Mode.GROUP) {
      assertTrue(same(recovered, history.getLast()), where + ": acknowledged writes lost");
      return recovered;
    }
    for (int i = history.size() - 1; i >= from; i--) {
      if (same(recovered, history.get(i))) {
        return recovered;
      }
    }
    fail(where + ": recovered state is not a prefix of the history at or after step " + from
        + " (recovered " + recovered.size() + " keys)");
    return recovered;
  }

  private static boolean same(Map<Key, byte[]> a, Map<Key, byte[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<Key, byte[]> e : a.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }
}
