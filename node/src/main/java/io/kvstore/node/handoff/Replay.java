package io.kvstore.node.handoff;

import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.hints.HintPosition;
import io.kvstore.node.hints.HintProblem;
import io.kvstore.node.hints.HintReader;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.node.hints.HintStats;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import io.kvstore.ring.NodeId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replay round for one target: reads its hints from the checkpoint (skipping expired ones),
 * sends them in batches, a few at a time (the throttle's window) once the byte cap allows the
 * batch, and only when a whole batch was durably acknowledged moves the checkpoint past it, deletes
 * the segments it finished and tells the listener. A failed delivery (or a batch whose deliveries
 * go unanswered for the delivery timeout) ends the round
 * without moving the checkpoint past that batch; the manager retries after a backoff. Redelivering
 * a hint is harmless: it is state, merged by clock.
 *
 * <p>Thread safety: the round's steps (start, each acknowledgement, each batch) run one at a time,
 * in order, on the manager's executor: callbacks from any thread only queue a step, so no step ever
 * runs inside another, whatever the executor. Fields are touched only by steps. Invariant: the
 * checkpoint never passes a hint whose delivery was not acknowledged.
 */
final class Replay {
  private static final Logger LOG = LoggerFactory.getLogger(Replay.class);

  enum Outcome {
    /** Nothing undelivered is left. */
    DRAINED,
    /** Read to the end, but hints appended meanwhile remain: the next sweep takes them. */
    CAUGHT_UP,
    FAILED,
    TARGET_DOWN,
    CLOSED
  }

  /** What a round reports to its manager. */
  interface Host {
    boolean closed();

    void delivered(NodeId target, List<HintRecord> batch, long bytes);

    void lostHints(NodeId target, String why);

    void ended(NodeId target, Outcome outcome, long retryAfterMillis);
  }

  /** What every round uses; one per manager. */
  record Deps(HintStore store, HintDelivery delivery, Liveness liveness, Clock clock,
      Scheduler scheduler, Executor executor, Throttle throttle, long windowMillis,
      int batchHints, long deliveryTimeoutMillis, String self) {}

  private final Deps d;
  private final Host host;
  private final NodeId target;
  private final long startNanos;
  private final ArrayDeque<Runnable> steps = new ArrayDeque<>(); // guarded by itself
  private boolean draining; // guarded by steps
  private HintReader reader;
  private boolean readerDelivered;
  private int seenProblems;
  private long seenCorrupt;
  private long seenTorn;
  private long seenExpired;
  private List<HintRecord> batch = List.of();
  private int batchNo;
  private HintPosition batchEnd;
  private long batchBytes;
  private boolean[] settled;
  private int sent;
  private int inFlight;
  private int acked;
  private Throwable failure;
  private long answers; // deliveries answered, over all batches
  private Scheduler.Cancellable watchdog; // of the current batch, if armed
  private boolean over;
  private long hints;
  private long bytes;
  private long lostCorrupt;
  private long lostTorn;
  private long lostExpired;

  Replay(Deps d, Host host, NodeId target) {
    this.d = d;
    this.host = host;
    this.target = target;
    this.startNanos = d.clock().nanoTime();
  }

  void start() {
    submit(this::begin);
  }

  // ---- running steps one at a time

  private void submit(Runnable step) {
    synchronized (steps) {
      steps.add(step);
      if (draining) {
        return;
      }
      draining = true;
    }
    d.executor().execute(this::drain);
  }

  private void drain() {
    while (true) {
      Runnable step;
      synchronized (steps) {
        step = steps.poll();
        if (step == null) {
          draining = false;
          return;
        }
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        fail(e);
      }
    }
  }

  // ---- steps

  private void begin() {
    HintStats s = d.store().stats(target);
    LOG.info("event=handoff_start node={} target={} hints={} bytes={} oldest_age_ms={} window={}",
        d.self(), target.id(), s.hints(), s.bytes(),
        s.hints() == 0 ? 0 : Math.max(0, d.clock().currentTimeMillis() - s.oldestCreatedMillis()),
        d.throttle().window(target));
    openReader();
    nextBatch();
  }

  private void openReader() {
    reader = d.store().reader(target, d.clock().currentTimeMillis() - d.windowMillis());
    readerDelivered = false;
    seenProblems = 0;
    seenCorrupt = 0;
    seenTorn = 0;
    seenExpired = 0;
  }

  private void nextBatch() {
    if (over) {
      return;
    }
    if (host.closed()) {
      end(Outcome.CLOSED, 0);
      return;
    }
    if (batchNo > 0 && !d.liveness().isUp(target)) { // the starter checked before the first
      end(Outcome.TARGET_DOWN, 0);
      return;
    }
    List<HintRecord> b = new ArrayList<>();
    long size = 0;
    for (HintRecord r; b.size() < d.batchHints() && (r = reader.next()) != null; ) {
      b.add(r);
      size += r.next().offset() - r.position().offset();
    }
    noteLosses();
    batchEnd = reader.position();
    if (b.isEmpty()) {
      readerDone();
      return;
    }
    batch = b;
    batchBytes = size;
    batchNo++;
    settled = new boolean[b.size()];
    sent = 0;
    inFlight = 0;
    acked = 0;
    failure = null;
    reserveThenSend();
  }

  /** The reader is exhausted: step past what it skipped, then go on or end. */
  private void readerDone() {
    reader.close();
    if (batchEnd.compareTo(d.store().checkpoint(target)) > 0) {
      d.store().checkpoint(target, batchEnd); // only skipped records lie in between
      d.store().deleteSegmentsUpTo(target, batchEnd);
    }
    boolean more = d.store().stats(target).hints() > 0;
    if (more && readerDelivered) {
      openReader(); // hints appended while this reader ran
      nextBatch();
      return;
    }
    end(more ? Outcome.CAUGHT_UP : Outcome.DRAINED, 0);
  }

  private void reserveThenSend() {
    long waitNanos = d.throttle().reserve(batchBytes);
    if (waitNanos > 0) {
      int no = batchNo;
      d.scheduler().schedule(() -> submit(() -> {
        if (!over && no == batchNo) {
          reserveThenSend();
        }
      }), waitNanos, TimeUnit.NANOSECONDS);
      return;
    }
    send();
  }

  private void send() {
    int window = d.throttle().window(target);
    while (failure == null && sent < batch.size() && inFlight < window) {
      int i = sent++;
      int no = batchNo;
      inFlight++;
      CompletableFuture<Void> f;
      try {
        f = d.delivery().deliver(target, batch.get(i).hint());
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, e) -> submit(() -> settled(no, i, e)));
    }
    if (watchdog == null && inFlight > 0) {
      armWatchdog(batchNo, answers);
    }
  }

  /**
   * One timer per batch, not per hint: if no answer at all came for the delivery timeout while
   * hints are in flight, the batch fails (late answers are ignored).
   */
  private void armWatchdog(int no, long answersSeen) {
    watchdog = d.scheduler().schedule(() -> submit(() -> {
      if (over || no != batchNo) {
        return;
      }
      if (answers == answersSeen && inFlight > 0) {
        failure = new TimeoutException(inFlight + " deliveries unanswered for "
            + d.deliveryTimeoutMillis() + " ms");
        inFlight = 0;
        batchFailed();
      } else {
        armWatchdog(no, answers);
      }
    }), d.deliveryTimeoutMillis(), TimeUnit.MILLISECONDS);
  }

  private void settled(int no, int i, Throwable e) {
    if (over || no != batchNo || settled[i]) {
      return; // late: its batch already ended
    }
    settled[i] = true;
    answers++;
    inFlight--;
    if (e != null && failure == null) {
      failure = e;
    } else if (e == null) {
      acked++;
    }
    if (failure != null) {
      if (inFlight == 0) {
        batchFailed();
      }
    } else if (acked == batch.size()) {
      batchAcked();
    } else {
      send();
    }
  }

  private void batchAcked() {
    disarm();
    if (host.closed()) {
      end(Outcome.CLOSED, 0);
      return;
    }
    d.store().checkpoint(target, batchEnd);
    d.store().deleteSegmentsUpTo(target, batchEnd);
    d.throttle().succeeded(target);
    hints += batch.size();
    bytes += batchBytes;
    readerDelivered = true;
    List<HintRecord> done = batch;
    batch = List.of();
    batchNo++;
    host.delivered(target, done, batchBytes);
    submit(this::nextBatch);
  }

  private void batchFailed() {
    long backoff = d.throttle().failed(target);
    LOG.warn("event=handoff_batch_failed node={} target={} batch_hints={} acked={} backoff_ms={}"
        + " error=\"{}\"", d.self(), target.id(), batch.size(), acked, backoff, failure.toString());
    end(Outcome.FAILED, backoff);
  }

  private void fail(RuntimeException e) {
    if (over) {
      return;
    }
    long backoff = d.throttle().failed(target);
    LOG.error("event=handoff_failed node={} target={} backoff_ms={} error=\"{}\"", d.self(),
        target.id(), backoff, e.toString(), e);
    end(Outcome.FAILED, backoff);
  }

  /** Logs what the reader skipped since last asked, and flags the target if it lost hints. */
  private void noteLosses() {
    List<HintProblem> ps = reader.problems();
    for (int i = seenProblems; i < ps.size(); i++) {
      HintProblem p = ps.get(i);
      LOG.warn("event=hint_skipped node={} target={} kind={} file={} offset={} reason=\"{}\"",
          d.self(), target.id(), p.kind(), p.file(), p.offset(), p.reason());
    }
    seenProblems = ps.size();
    long c = reader.corrupt() - seenCorrupt;
    long t = reader.torn() - seenTorn;
    long x = reader.expired() - seenExpired;
    if (x > 0) {
      LOG.warn("event=hints_expired node={} target={} hints={} window_ms={}", d.self(), target.id(),
          x, d.windowMillis());
    }
    if (c + t + x > 0) {
      host.lostHints(target, c > 0 ? "corrupt" : t > 0 ? "torn" : "expired");
    }
    seenCorrupt += c;
    seenTorn += t;
    seenExpired += x;
    lostCorrupt += c;
    lostTorn += t;
    lostExpired += x;
  }

  private void disarm() {
    if (watchdog != null) {
      watchdog.cancel();
      watchdog = null;
    }
  }

  private void end(Outcome outcome, long retryAfterMillis) {
    if (over) {
      return;
    }
    over = true;
    disarm();
    if (reader != null) {
      try {
        reader.close();
      } catch (RuntimeException e) {
        LOG.warn("event=hint_reader_close_failed node={} target={} error=\"{}\"", d.self(),
            target.id(), e.toString());
      }
    }
    long millis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(d.clock().nanoTime() - startNanos));
    double secs = Math.max(millis, 1) / 1000.0;
    LOG.info("event=handoff_end node={} target={} result={} hints={} bytes={} duration_ms={}"
            + " hints_per_s={} bytes_per_s={} corrupt={} torn={} expired={}",
        d.self(), target.id(), outcome.name().toLowerCase(Locale.ROOT), hints, bytes, millis,
        String.format(Locale.ROOT, "%.1f", hints / secs),
        String.format(Locale.ROOT, "%.0f", bytes / secs), lostCorrupt, lostTorn, lostExpired);
    host.ended(target, outcome, retryAfterMillis);
  }
}
