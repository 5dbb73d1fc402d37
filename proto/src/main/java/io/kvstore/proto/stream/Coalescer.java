package io.kvstore.proto.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Puts items that many threads produce into as few messages as the load allows, without a
 * timer: items added while a send is under way are sent together by the sending thread right
 * after it (the work-in-progress counter pattern of reactive streams), so the batch size follows
 * the load. Who sends an item added to an idle coalescer depends on {@code defer}: when it says
 * no (little load: a lone request), the adding thread sends at once; when it says yes (other
 * requests are in flight), the send is handed to {@code executor}, and everything added until
 * that thread runs (a thread wake-up, tens of microseconds) shares its message. {@link #hold}
 * makes a thread that produces many items at once (the answers to one inbound message) send them
 * together when it is done.
 *
 * <p>Flow control: nothing is sent while {@code ready} says no (the stream's transport buffer is
 * full); the items wait, and {@link #kick()} from the stream's on-ready handler sends them then,
 * in larger messages.
 *
 * <p>{@code sink} is never called concurrently with itself, nor is {@code afterDrain} (both run on
 * whichever thread drains), so they may call a gRPC stream observer, which is not thread safe.
 * Thread safe.
 */
public final class Coalescer<T> {
  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final int maxBatch;
  private final BooleanSupplier ready;
  private final Consumer<List<T>> sink;
  private final Runnable afterDrain;
  private final Executor executor;
  private final BooleanSupplier defer;

  /** A coalescer whose adding threads always send themselves (never deferred). */
  public Coalescer(int maxBatch, BooleanSupplier ready, Consumer<List<T>> sink,
      Runnable afterDrain) {
    this(maxBatch, ready, sink, afterDrain, Runnable::run, () -> false);
  }

  /**
   * @param maxBatch the most items per message
   * @param ready whether the transport takes a message now
   * @param sink sends one message of 1 to {@code maxBatch} items
   * @param afterDrain runs after every drain, serialized with {@code sink} (e.g. to end the
   *     stream once nothing is left)
   * @param executor where a deferred send runs
   * @param defer whether a send found idle is handed to {@code executor} (asked once per send)
   */
  public Coalescer(int maxBatch, BooleanSupplier ready, Consumer<List<T>> sink,
      Runnable afterDrain, Executor executor, BooleanSupplier defer) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.ready = ready;
    this.sink = sink;
    this.afterDrain = afterDrain;
    this.executor = executor;
    this.defer = defer;
  }

  /** Queues {@code item}; sends it (and whatever else is queued) now unless a send is under way. */
  public void add(T item) {
    queue.add(item);
    kick();
  }

  /** Sends what is queued, unless another thread is sending (it will send it). */
  public void kick() {
    if (wip.getAndIncrement() == 0) {
      if (defer.getAsBoolean()) {
        executor.execute(this::drain);
      } else {
        drain();
      }
    }
  }

  /**
   * Runs {@code work}, during which nothing added is sent, then sends all of it (unless another
   * thread is sending: it will).
   */
  public void hold(Runnable work) {
    if (wip.getAndIncrement() != 0) {
      // Another thread is sending; the increment makes it look once more. Whatever it misses
      // because the work was not finished yet goes out with the kick.
      work.run();
      kick();
      return;
    }
    try {
      work.run();
    } finally {
      drain();
    }
  }

  private void drain() {
    try {
      drainLoop();
    } catch (RuntimeException | Error e) {
      // A sink that throws (a stream already closed) must not leave the coalescer stuck busy.
      wip.set(0);
      throw e;
    }
  }

  private void drainLoop() {
    int missed = 1;
    do {
      while (ready.getAsBoolean() && !queue.isEmpty()) {
        List<T> batch = new ArrayList<>(Math.min(maxBatch, 16));
        T item;
        while (batch.size() < maxBatch && (item = queue.poll()) != null) {
          batch.add(item);
        }
        if (!batch.isEmpty()) {
          sink.accept(batch);
        }
      }
      afterDrain.run();
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  /** Items queued and not yet sent. */
  public int queued() {
    return queue.size();
  }

  /** Drops every queued item (the stream is gone) and returns them. */
  public List<T> clear() {
    List<T> dropped = new ArrayList<>();
    T item;
    while ((item = queue.poll()) != null) {
      dropped.add(item);
    }
    return dropped;
  }
}
