package io.kvstore.lsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvstore.lsm.TestStores.Key;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Long random sequences of put / delete / get / scan / batch mixed with flush, compaction,
 * close/reopen and snapshot scans, checked step by step against a TreeMap. Each run is
 * reproducible from the seed in its name and in every failure message.
 */
class ModelBasedTest {
  private static final int OPS = 3000;

  @TempDir Path dir;

  static List<Long> seeds() {
    List<Long> seeds = new ArrayList<>();
    long base = 0x5eed_0000L;
    for (int i = 0; i < 12; i++) {
      seeds.add(base + i);
    }
    return seeds;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void storeMatchesTreeMapModel(long seed) {
    Random rnd = new Random(seed);
    TreeMap<Key, byte[]> model = new TreeMap<>();
    Options options = TestStores.tiny().build();
    LsmStore store = LsmStore.open(dir, options);
    List<PendingScan> pending = new ArrayList<>();
    try {
      for (int step = 0; step < OPS; step++) {
        String where = "seed " + seed + " step " + step;
        int op = rnd.nextInt(100);
        if (op < 40) {
          byte[] k = key(rnd);
          byte[] v = value(rnd);
          store.put(k, v);
          model.put(new Key(k), v);
        } else if (op < 50) {
          byte[] k = key(rnd);
          store.delete(k);
          model.remove(new Key(k));
        } else if (op < 70) {
          byte[] k = key(rnd);
          byte[] expected = model.get(new Key(k));
          byte[] actual = store.get(k);
          assertArrayEquals(expected, actual, where + ": get " + TestStores.hex(k));
        } else if (op < 78) {
          batch(rnd, store, model);
        } else if (op < 85) {
          checkScan(store, model, rnd, where);
        } else if (op < 89) {
          pending.add(PendingScan.open(store, model, rnd));
        } else if (op < 92) {
          finishScans(pending, where);
        } else if (op < 95) {
          store.flush();
        } else if (op < 97) {
          store.compact();
        } else {
          finishScans(pending, where);
          store.close();
          store = LsmStore.open(dir, options);
        }
      }
      finishScans(pending, "seed " + seed + " end");
      checkAll(store, model, "seed " + seed + " before final reopen");
      store.close();
      store = LsmStore.open(dir, options);
      checkAll(store, model, "seed " + seed + " after final reopen");
    } finally {
      for (PendingScan p : pending) {
        p.it.close();
      }
      store.close();
    }
  }

  private static void batch(Random rnd, LsmStore store, TreeMap<Key, byte[]> model) {
    WriteBatch b = new WriteBatch();
    int n = 1 + rnd.nextInt(8);
    for (int i = 0; i < n; i++) {
      byte[] k = key(rnd);
      if (rnd.nextInt(4) == 0) {
        b.delete(k);
        model.remove(new Key(k));
      } else {
        byte[] v = value(rnd);
        b.put(k, v);
        model.put(new Key(k), v);
      }
    }
    store.write(b);
  }

  private static void checkScan(LsmStore store, TreeMap<Key, byte[]> model, Random rnd, String w) {
    byte[] from = rnd.nextInt(4) == 0 ? null : key(rnd);
    byte[] to = rnd.nextInt(4) == 0 ? null : key(rnd);
    try (KvIterator it = store.scan(from, to)) {
      compare(it, range(model, from, to), w + ": scan [" + TestStores.hex(from) + ", "
          + TestStores.hex(to) + ")");
    }
  }

  static void checkAll(LsmStore store, TreeMap<Key, byte[]> model, String where) {
    try (KvIterator it = store.scan(null, null)) {
      compare(it, model, where + ": full scan");
    }
    for (Map.Entry<Key, byte[]> e : model.entrySet()) {
      assertArrayEquals(e.getValue(), store.get(e.getKey().b()), where + ": get " + e.getKey());
    }
  }

  static NavigableMap<Key, byte[]> range(TreeMap<Key, byte[]> model, byte[] from, byte[] to) {
    if (from != null && to != null && new Key(from).compareTo(new Key(to)) >= 0) {
      return new TreeMap<>();
    }
    NavigableMap<Key, byte[]> m = model;
    if (from != null) {
      m = m.tailMap(new Key(from), true);
    }
    if (to != null) {
      m = m.headMap(new Key(to), false);
    }
    return m;
  }

  static void compare(KvIterator it, Map<Key, byte[]> expected, String where) {
    int i = 0;
    for (Map.Entry<Key, byte[]> e : expected.entrySet()) {
      if (!it.hasNext()) {
        fail(where + ": scan ended after " + i + " of " + expected.size() + " entries");
      }
      KvIterator.Entry got = it.next();
      assertEquals(e.getKey(), new Key(got.key()), where + ": key #" + i);
      assertArrayEquals(e.getValue(), got.value(), where + ": value of " + e.getKey());
      i++;
    }
    if (it.hasNext()) {
      fail(where + ": unexpected extra key " + TestStores.hex(it.next().key()));
    }
  }

  private static void finishScans(List<PendingScan> pending, String where) {
    for (PendingScan p : pending) {
      try (KvIterator it = p.it) {
        compare(it, p.expected, where + ": snapshot scan opened earlier");
      }
    }
    pending.clear();
  }

  /** A scan opened earlier, with the model as it was then: checks snapshot isolation. */
  private record PendingScan(KvIterator it, NavigableMap<Key, byte[]> expected) {
    static PendingScan open(LsmStore store, TreeMap<Key, byte[]> model, Random rnd) {
      byte[] from = rnd.nextBoolean() ? null : key(rnd);
      return new PendingScan(
          store.scan(from, null), new TreeMap<>(range(model, from, null)));
    }
  }

  /** Keys from a small space (so they repeat), with 0x00 and 0xff bytes to test unsigned order. */
  static byte[] key(Random rnd) {
    int n = rnd.nextInt(300);
    byte[] k = new byte[1 + n % 3];
    k[0] = (byte) (n * 7);
    for (int i = 1; i < k.length; i++) {
      k[i] = (byte) (n % 2 == 0 ? 0xff : 0x00);
    }
    return k;
  }

  static byte[] value(Random rnd) {
    int len = rnd.nextInt(20) == 0 ? 500 + rnd.nextInt(3000) : rnd.nextInt(40);
    byte[] v = new byte[len];
    rnd.nextBytes(v);
    return v;
  }
}
