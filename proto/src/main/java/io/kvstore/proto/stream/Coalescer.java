package io.kvstore.proto.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Puts items that many threads produce into as few messages as the load allows, without a
 * timer and without a thread of its own: the thread that adds an item to an idle coalescer sends
 * it at once (a lone request is never delayed), and items added while a send is under way are
 * sent together by that same thread right after it (the work-in-progress counter pattern of
 * reactive streams). So under load each message carries whatever queued during the previous
 * send, and the batch size follows the load.
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

  /**
   * @param maxBatch the most items per message
   * @param ready whether the transport takes a message now
   * @param sink sends one message of 1 to {@code maxBatch} items
   * @param afterDrain runs after every drain, serialized with {@code sink} (e.g. to end the
   *     stream once nothing is left)
   */
  public Coalescer(int maxBatch, BooleanSupplier ready, Consumer<List<T>> sink,
      Runnable afterDrain) {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("maxBatch must be >= 1, got " + maxBatch);
    }
    this.maxBatch = maxBatch;
    this.ready = ready;
    this.sink = sink;
    this.afterDrain = afterDrain;
  }

  /** Queues {@code item}; sends it (and whatever else is queued) now unless a send is under way. */
  public void add(T item) {
    queue.add(item);
    kick();
  }

  /** Sends what is queued, unless another thread is sending (it will send it). */
  public void kick() {
    if (wip.getAndIncrement() == 0) {
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
