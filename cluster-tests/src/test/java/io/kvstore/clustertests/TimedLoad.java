package io.kvstore.clustertests;

import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady read-then-write load through the given clients (threads per client), measured in
 * windows: ops completed and failures by kind. Each write carries its read's context, so keys
 * keep one value. After a failure a thread backs off briefly rather than spin on a faulted
 * node. The caller owns (and closes) the clients. Thread safe.
 */
public final class TimedLoad implements AutoCloseable {
  private static final long BACKOFF_MILLIS = 200;

  /** What one window saw. */
  public record Window(long ops, long failedReads, long failedWrites, double seconds) {
    public double rate() {
      return ops / seconds;
    }
  }

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong ops = new AtomicLong();
  private final AtomicLong failedReads = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  public TimedLoad(List<KvClient> clients, int threadsPerClient) {
    for (KvClient client : clients) {
      for (int t = 0; t < threadsPerClient; t++) {
        int id = threads.size();
        Thread th = new Thread(() -> run(client, id), "timed-load-" + id);
        th.setDaemon(true);
        threads.add(th);
        th.start();
      }
    }
  }

  private void run(KvClient client, int id) {
    for (long n = 0; running.get(); n++) {
      byte[] key = ("load-" + id + "-" + (n % 50)).getBytes(StandardCharsets.UTF_8);
      Context context;
      try {
        context = client.get(key).context();
        ops.incrementAndGet();
      } catch (RuntimeException e) {
        failedReads.incrementAndGet();
        backOff();
        continue;
      }
      try {
        client.put(key, ("v" + n).getBytes(StandardCharsets.UTF_8), context);
        ops.incrementAndGet();
      } catch (RuntimeException e) {
        failedWrites.incrementAndGet();
        backOff();
      }
    }
  }

  private static void backOff() {
    try {
      Thread.sleep(BACKOFF_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Operations completed so far. */
  public long ok() {
    return ops.get();
  }

  /** Counts what completes during the next {@code d}. */
  public Window measure(Duration d) throws InterruptedException {
    long o = ops.get();
    long r = failedReads.get();
    long w = failedWrites.get();
    long start = System.nanoTime();
    Thread.sleep(d.toMillis());
    double secs = (System.nanoTime() - start) / 1e9;
    return new Window(ops.get() - o, failedReads.get() - r, failedWrites.get() - w, secs);
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(10_000);
    }
  }
}
