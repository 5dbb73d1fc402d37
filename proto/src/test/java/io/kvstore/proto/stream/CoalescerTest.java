package io.kvstore.proto.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CoalescerTest {
  private final List<List<Integer>> sent = new CopyOnWriteArrayList<>();

  @Test
  void aLoneItemIsSentAtOnceOnTheAddingThread() {
    List<Thread> senders = new ArrayList<>();
    Coalescer<Integer> c = new Coalescer<>(10, () -> true, b -> {
      senders.add(Thread.currentThread());
      sent.add(b);
    }, () -> { });
    c.add(1);
    assertEquals(List.of(List.of(1)), sent);
    assertEquals(List.of(Thread.currentThread()), senders);
  }

  @Test
  void itemsAddedDuringASendGoTogetherInTheNextMessage() throws Exception {
    CountDownLatch inSink = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Coalescer<Integer> c = new Coalescer<>(100, () -> true, b -> {
      sent.add(b);
      if (b.contains(0)) {
        inSink.countDown();
        await(release);
      }
    }, () -> { });
    Thread first = new Thread(() -> c.add(0));
    first.start();
    assertTrue(inSink.await(5, TimeUnit.SECONDS));
    IntStream.rangeClosed(1, 9).forEach(c::add); // returns at once: the first thread sends them
    assertEquals(1, sent.size());
    release.countDown();
    first.join(5000);
    assertEquals(List.of(List.of(0), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9)), sent);
  }

  @Test
  void nothingIsSentWhileNotReadyAndAKickSendsWhatQueuedInBatchesOfAtMostMax() {
    AtomicBoolean ready = new AtomicBoolean(false);
    AtomicInteger drains = new AtomicInteger();
    Coalescer<Integer> c = new Coalescer<>(4, ready::get, sent::add, drains::incrementAndGet);
    IntStream.range(0, 10).forEach(c::add);
    assertEquals(List.of(), sent);
    assertEquals(10, c.queued());
    ready.set(true);
    c.kick();
    assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7), List.of(8, 9)), sent);
    assertEquals(0, c.queued());
    assertEquals(11, drains.get()); // afterDrain runs after every drain, sent or not
  }

  @Test
  void aSinkThatThrowsDoesNotLeaveTheCoalescerBusy() {
    AtomicBoolean broken = new AtomicBoolean(true);
    Coalescer<Integer> c = new Coalescer<>(10, () -> true, b -> {
      if (broken.get()) {
        throw new IllegalStateException("stream closed");
      }
      sent.add(b);
    }, () -> { });
    assertThrows(IllegalStateException.class, () -> c.add(1));
    broken.set(false);
    c.add(2);
    assertEquals(List.of(List.of(2)), sent);
  }

  @Test
  void manyThreadsLoseNothingAndNeverSendConcurrently() throws Exception {
    AtomicInteger inSink = new AtomicInteger();
    AtomicBoolean overlap = new AtomicBoolean();
    List<Integer> received = new CopyOnWriteArrayList<>();
    Coalescer<Integer> c = new Coalescer<>(7, () -> true, b -> {
      if (inSink.incrementAndGet() > 1) {
        overlap.set(true);
      }
      received.addAll(b);
      inSink.decrementAndGet();
    }, () -> { });
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int base = t * 10_000;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 10_000; i++) {
          c.add(base + i);
        }
      }));
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(80_000, received.size());
    assertEquals(80_000, received.stream().distinct().count());
    assertTrue(!overlap.get(), "sink ran concurrently with itself");
  }

  @Test
  void whatIsAddedWhileHeldGoesOutTogetherWhenTheWorkEnds() {
    Coalescer<Integer> c = new Coalescer<>(100, () -> true, sent::add, () -> { });
    c.hold(() -> {
      c.add(1);
      c.add(2);
      assertEquals(List.of(), sent);
      c.add(3);
    });
    assertEquals(List.of(List.of(1, 2, 3)), sent);
    c.hold(() -> { });
    assertEquals(1, sent.size());
  }

  @Test
  void aDeferredSendRunsOnTheExecutorAndTakesWhatQueuedUntilThen() {
    List<Runnable> executor = new ArrayList<>();
    AtomicBoolean busy = new AtomicBoolean(false);
    Coalescer<Integer> c = new Coalescer<>(100, () -> true, sent::add, () -> { },
        executor::add, busy::get);
    c.add(0); // idle: sent by the adding thread
    assertEquals(List.of(List.of(0)), sent);
    busy.set(true);
    c.add(1);
    c.add(2);
    c.add(3);
    assertEquals(1, sent.size());
    assertEquals(1, executor.size()); // one deferred send for all three
    executor.getFirst().run();
    assertEquals(List.of(List.of(0), List.of(1, 2, 3)), sent);
    c.add(4);
    assertEquals(2, executor.size());
  }

  @Test
  void clearDropsWhatIsQueued() {
    Coalescer<Integer> c = new Coalescer<>(10, () -> false, sent::add, () -> { });
    c.add(1);
    c.add(2);
    assertEquals(List.of(1, 2), c.clear());
    assertEquals(0, c.queued());
    assertThrows(IllegalArgumentException.class, () -> new Coalescer<Integer>(0, () -> true,
        sent::add, () -> { }));
  }

  private static void await(CountDownLatch l) {
    try {
      l.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
