package io.kvstore.lsm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.lsm.sstable.LookupResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The memtable's skip list against a deliberately simple model (a TreeMap with {@link
 * InternalKey#COMPARATOR}): lookups at every snapshot, iteration order and seeks, with short keys,
 * keys sharing long prefixes and zero bytes (the cases the cached 8-byte key prefix must order
 * correctly); and one writer with concurrent readers. Reproducible from the seed in each message.
 */
class MemtableTest {
  static LongStream seeds() {
    return LongStream.of(1, 2, 3, System.nanoTime());
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void matchesModel(long seed) {
    Random rnd = new Random(seed);
    String ctx = "seed " + seed;
    Memtable mem = new Memtable(7);
    TreeMap<byte[], byte[]> model = new TreeMap<>(InternalKey.COMPARATOR);
    List<byte[]> userKeys = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      userKeys.add(randomKey(rnd));
    }
    long seq = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] k = userKeys.get(rnd.nextInt(userKeys.size()));
      byte type = rnd.nextInt(5) == 0 ? InternalKey.TYPE_DELETE : InternalKey.TYPE_PUT;
      byte[] v = type == InternalKey.TYPE_DELETE ? null : randomKey(rnd);
      mem.add(++seq, type, k, v);
      model.put(InternalKey.encode(k, seq, type), v == null ? new byte[0] : v);
    }
    assertEquals(model.size(), mem.entryCount(), ctx);
    for (int i = 0; i < 2000; i++) {
      byte[] k = rnd.nextInt(4) == 0 ? randomKey(rnd) : userKeys.get(rnd.nextInt(userKeys.size()));
      long at = 1 + rnd.nextLong(seq + 1);
      assertEquals(expected(model, k, at), describe(mem.get(k, at)), ctx + " key " + i);
    }
    checkIteration(mem, model, ctx);
    byte[] target = InternalKey.encode(randomKey(rnd), rnd.nextLong(seq + 1), InternalKey.TYPE_PUT);
    InternalIterator it = mem.iterator();
    it.seek(target);
    Map.Entry<byte[], byte[]> ceiling = model.ceilingEntry(target);
    if (ceiling == null) {
      assertFalse(it.valid(), ctx);
    } else {
      assertArrayEquals(ceiling.getKey(), it.key(), ctx);
    }
  }

  @Test
  void prefixOrdersLikeUnsignedBytes() {
    byte[][] keys = {
      {}, {0}, {0, 0}, {1}, {1, 0}, {1, 0, 0, 0, 0, 0, 0, 0}, {1, 0, 0, 0, 0, 0, 0, 0, 0},
      {1, 0, 0, 0, 0, 0, 0, 0, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, {(byte) 0x80}, {(byte) 0xff}
    };
    for (byte[] a : keys) {
      for (byte[] b : keys) {
        long pa = Memtable.prefix(a, a.length);
        long pb = Memtable.prefix(b, b.length);
        if (pa != pb) {
          assertEquals(Integer.signum(java.util.Arrays.compareUnsigned(a, b)),
              Integer.signum(Long.compareUnsigned(pa, pb)));
        }
      }
    }
  }

  @Test
  void sameInternalKeyTwiceReplacesTheValue() {
    Memtable mem = new Memtable(1);
    mem.add(5, InternalKey.TYPE_PUT, new byte[] {1}, new byte[] {1});
    mem.add(5, InternalKey.TYPE_PUT, new byte[] {1}, new byte[] {2});
    assertEquals(1, mem.entryCount());
    assertArrayEquals(new byte[] {2}, mem.get(new byte[] {1}, 5).value());
  }

  @Test
  void readersSeeAPublishedPrefixWhileOneWriterAdds() throws InterruptedException {
    Memtable mem = new Memtable(1);
    int n = 200_000;
    AtomicLong published = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> readers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      Thread t = new Thread(() -> {
        Random rnd = new Random();
        try {
          while (published.get() < n) {
            long p = published.get();
            if (p > 0) {
              long i = 1 + rnd.nextLong(p);
              LookupResult res = mem.get(key(i), p);
              assertTrue(res.isFound(), "key " + i + " published at " + p);
              assertArrayEquals(key(i), res.value());
            }
            checkSorted(mem);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      t.start();
      readers.add(t);
    }
    for (long i = 1; i <= n; i++) {
      mem.add(i, InternalKey.TYPE_PUT, key(i), key(i));
      published.set(i);
    }
    for (Thread t : readers) {
      t.join();
    }
    assertNull(failure.get());
    assertEquals(n, mem.entryCount());
  }

  private static void checkSorted(Memtable mem) {
    InternalIterator it = mem.iterator();
    byte[] last = null;
    int steps = 0;
    for (it.seekToFirst(); it.valid() && steps < 2000; it.next(), steps++) {
      if (last != null) {
        assertTrue(InternalKey.compare(last, it.key()) < 0, "iteration out of order");
      }
      last = it.key();
    }
  }

  private static byte[] key(long i) {
    long x = i * 0x9E3779B97F4A7C15L;
    byte[] k = new byte[16];
    for (int j = 0; j < 16; j++) {
      k[j] = (byte) (x >>> ((j & 7) * 8));
    }
    k[15] = (byte) i;
    return k;
  }

  private static void checkIteration(Memtable mem, TreeMap<byte[], byte[]> model, String ctx) {
    InternalIterator it = mem.iterator();
    it.seekToFirst();
    for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
      assertTrue(it.valid(), ctx);
      assertArrayEquals(e.getKey(), it.key(), ctx);
      assertArrayEquals(e.getValue(), it.value(), ctx);
      it.next();
    }
    assertFalse(it.valid(), ctx);
  }

  private static String expected(TreeMap<byte[], byte[]> model, byte[] userKey, long seq) {
    Map.Entry<byte[], byte[]> e = model.ceilingEntry(InternalKey.seekKey(userKey, seq));
    if (e == null || InternalKey.compareUserKey(e.getKey(), userKey) != 0) {
      return "ABSENT";
    }
    return InternalKey.type(e.getKey()) == InternalKey.TYPE_DELETE
        ? "DELETED"
        : "FOUND " + java.util.HexFormat.of().formatHex(e.getValue());
  }

  private static String describe(LookupResult r) {
    return r.kind() == LookupResult.Kind.FOUND
        ? "FOUND " + java.util.HexFormat.of().formatHex(r.value())
        : r.kind().name();
  }

  /** Keys of 0..12 bytes over a tiny alphabet with zeros, so prefixes often collide. */
  private static byte[] randomKey(Random rnd) {
    byte[] k = new byte[rnd.nextInt(13)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(3) * 0x7f);
    }
    return k;
  }
}
