package io.kvstore.lsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers, point readers and scanners in parallel with flushes and compactions. Each writer owns
 * some slots and writes, in one batch, the pair {@code a/<slot>} and {@code b/<slot>} with the same
 * increasing version. Checks: a scan (snapshot) always sees both keys of a pair at the same
 * version (atomic batches + snapshot isolation, also while compaction swaps tables under it);
 * point reads of a slot never go backwards (no lost or reordered versions); and at the end every
 * slot holds its last written version, before and after reopening.
 */
class ConcurrencyTest {
  private static final int WRITERS = 3;
  private static final int SLOTS_PER_WRITER = 50;

  @TempDir Path dir;

  @Test
  void parallelWritesReadsScansAndCompactions() throws Exception {
    long seed = System.nanoTime();
    Options options = TestStores.tiny().syncPolicy(SyncPolicy.group()).build();
    long[][] lastVersion = new long[WRITERS][SLOTS_PER_WRITER];
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong scans = new AtomicLong();
    AtomicLong reads = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    try (LsmStore store = LsmStore.open(dir, options)) {
      CountDownLatch writersDone = new CountDownLatch(WRITERS);
      for (int w = 0; w < WRITERS; w++) {
        int id = w;
        threads.add(worker(errors, () -> {
          Random rnd = new Random(seed + id);
          for (int i = 0; i < 1500; i++) {
            int slot = rnd.nextInt(SLOTS_PER_WRITER);
            long version = ++lastVersion[id][slot];
            byte[] value = value(version, rnd.nextInt(10) == 0 ? 600 : 20);
            store.write(new WriteBatch()
                .put(key("a", id, slot), value)
                .put(key("b", id, slot), value));
          }
          writersDone.countDown();
        }));
      }
      threads.add(worker(errors, () -> {
        Random rnd = new Random(seed + 100);
        Map<String, Long> seen = new HashMap<>();
        while (!stop.get()) {
          int id = rnd.nextInt(WRITERS);
          int slot = rnd.nextInt(SLOTS_PER_WRITER);
          byte[] v = store.get(key("a", id, slot));
          long version = v == null ? 0 : version(v);
          String k = id + "/" + slot;
          long before = seen.getOrDefault(k, 0L);
          assertTrue(version >= before, "seed " + seed + ": read of " + k + " went back from "
              + before + " to " + version);
          seen.put(k, version);
          reads.incrementAndGet();
        }
      }));
      threads.add(worker(errors, () -> {
        while (!stop.get()) {
          checkPairs(store, seed);
          scans.incrementAndGet();
        }
      }));
      threads.add(worker(errors, () -> {
        while (!stop.get()) {
          store.flush();
          store.compact();
        }
      }));
      for (Thread t : threads) {
        t.start();
      }
      assertTrue(writersDone.await(5, TimeUnit.MINUTES), "seed " + seed + ": writers stuck");
      stop.set(true);
      for (Thread t : threads) {
        t.join(60_000);
      }
      if (!errors.isEmpty()) {
        AssertionError e = new AssertionError("seed " + seed + ": worker failed", errors.peek());
        errors.forEach(e::addSuppressed);
        throw e;
      }
      assertTrue(scans.get() > 0 && reads.get() > 0, "readers never ran");
      checkFinal(store, lastVersion, "seed " + seed + " before reopen");
    }
    try (LsmStore store = LsmStore.open(dir, options)) {
      checkFinal(store, lastVersion, "seed " + seed + " after reopen");
    }
  }

  private static void checkPairs(LsmStore store, long seed) {
    Map<String, Long> a = new HashMap<>();
    Map<String, Long> b = new HashMap<>();
    byte[] prev = null;
    try (KvIterator it = store.scan(null, null)) {
      while (it.hasNext()) {
        KvIterator.Entry e = it.next();
        if (prev != null) {
          assertTrue(Arrays.compareUnsigned(prev, e.key()) < 0, "scan out of order");
        }
        prev = e.key();
        String k = new String(e.key(), StandardCharsets.UTF_8);
        (k.startsWith("a/") ? a : b).put(k.substring(2), version(e.value()));
      }
    }
    assertEquals(a, b, "seed " + seed + ": a scan saw half of an atomic batch");
  }

  private static void checkFinal(LsmStore store, long[][] last, String where) {
    for (int w = 0; w < WRITERS; w++) {
      for (int s = 0; s < SLOTS_PER_WRITER; s++) {
        byte[] v = store.get(key("b", w, s));
        if (last[w][s] == 0) {
          assertEquals(null, v, where);
        } else {
          assertNotNull(v, where + ": slot " + w + "/" + s + " lost");
          assertEquals(last[w][s], version(v), where + ": slot " + w + "/" + s);
        }
      }
    }
  }

  private static Thread worker(ConcurrentLinkedQueue<Throwable> errors, Runnable body) {
    return new Thread(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        errors.add(t);
      }
    });
  }

  private static byte[] key(String prefix, int writer, int slot) {
    return String.format("%s/%02d/%04d", prefix, writer, slot).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] value(long version, int size) {
    return ByteBuffer.allocate(8 + size).putLong(version).array();
  }

  private static long version(byte[] value) {
    return ByteBuffer.wrap(value).getLong();
  }
}
