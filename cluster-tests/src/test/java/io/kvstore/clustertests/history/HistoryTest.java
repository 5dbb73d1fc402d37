package io.kvstore.clustertests.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private final ManualClock clock = new ManualClock();
  private final History h = new History(new HistoryHeader(7, "unit", Instant.EPOCH), clock);

  @Test
  void invokeAndCompleteRecordTwoLinesWithTimesSinceStart() {
    int p = h.newProcess();
    clock.advanceMillis(5);
    Op inv = h.invoke(p, Op.F.ADD, "k", "3", "n1", "ctx");
    clock.advanceMillis(2);
    Op ok = h.ok(inv, Completion.NONE.withAcks(2).withContext("ctx2"));
    assertEquals(0, inv.index());
    assertEquals(1, ok.index());
    assertEquals(5_000_000, inv.time());
    assertEquals(7_000_000, ok.time());
    assertEquals("3", ok.value());
    assertEquals("ctx2", ok.context());
    assertEquals(2, ok.acks());
    List<OpPair> pairs = h.pairs();
    assertEquals(1, pairs.size());
    assertEquals(2_000_000, pairs.get(0).latencyNanos());
  }

  @Test
  void aProcessRunsOneOperationAtATime() {
    int p = h.newProcess();
    h.invoke(p, Op.F.READ, "k", null, "n1");
    assertThrows(IllegalStateException.class, () -> h.invoke(p, Op.F.READ, "k", null, "n1"));
  }

  @Test
  void afterInfoTheProcessIsRetired() {
    int p = h.newProcess();
    Op inv = h.invoke(p, Op.F.WRITE, "k", "v", "n1");
    h.info(inv, "deadline exceeded");
    assertThrows(IllegalStateException.class, () -> h.invoke(p, Op.F.READ, "k", null, "n1"));
    int q = h.newProcess();
    assertTrue(q != p);
    h.invoke(q, Op.F.READ, "k", null, "n1");
  }

  @Test
  void anInvocationCompletesOnce() {
    Op inv = h.invoke(h.newProcess(), Op.F.READ, "k", null, "n1");
    h.fail(inv, "unavailable");
    assertThrows(IllegalStateException.class, () -> h.fail(inv, "again"));
  }

  @Test
  void completePendingMarksTheRestInfo() {
    Op a = h.invoke(h.newProcess(), Op.F.READ, "k", null, "n1");
    Op b = h.invoke(h.newProcess(), Op.F.READ, "k", null, "n2");
    h.ok(a, Completion.NONE);
    List<Op> done = h.completePending("run ended");
    assertEquals(1, done.size());
    assertEquals(b.process(), done.get(0).process());
    assertEquals(Op.Type.INFO, done.get(0).type());
  }

  @Test
  void faultWindowsOpenAndClose() {
    FaultWindow w = h.faultStarted("partition", "n1,n2 | n3,n4,n5");
    clock.advanceMillis(10_000);
    FaultWindow open = h.faultStarted("crash", "n3");
    FaultWindow closed = h.faultEnded(w);
    assertEquals(10_000_000_000L, closed.endNanos());
    assertTrue(h.faults().get(1).isOpen());
    assertThrows(IllegalStateException.class, () -> h.faultEnded(w));
    assertEquals(open, h.faults().get(1));
  }

  @Test
  void concurrentRecordingKeepsIndexesAndTimesMonotonic() throws Exception {
    History real = History.startNow(1, "concurrent");
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        int p = real.newProcess();
        for (int i = 0; i < 500; i++) {
          Op inv = real.invoke(p, Op.F.READ, "k" + i % 3, null, "n1");
          real.ok(inv, Completion.NONE.withValues(List.of("1")));
        }
      });
      th.start();
      ts.add(th);
    }
    go.countDown();
    for (Thread th : ts) {
      th.join();
    }
    List<Op> ops = real.ops();
    assertEquals(threads * 1000, ops.size());
    Set<Integer> processes = new HashSet<>();
    for (int i = 0; i < ops.size(); i++) {
      assertEquals(i, ops.get(i).index());
      if (i > 0) {
        assertTrue(ops.get(i).time() >= ops.get(i - 1).time());
      }
      processes.add(ops.get(i).process());
    }
    assertEquals(threads, processes.size());
    assertEquals(threads * 500, real.pairs().size());
    assertTrue(real.pairs().stream().allMatch(OpPair::isOk));
  }

  @Test
  void pairsWithoutCompletionCountAsInfo() {
    h.invoke(h.newProcess(), Op.F.ADD, "k", "1", "n1");
    OpPair p = h.pairs().get(0);
    assertNull(p.completion());
    assertEquals(Op.Type.INFO, p.outcome());
    assertEquals(Long.MAX_VALUE, p.end());
  }
}
