package io.kvstore.clustertests.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The recorder of a run: every client operation twice (invoke, then ok/fail/info) and every
 * fault window. Workers call {@link #invoke} before sending a request and {@link #complete} (or
 * {@link #ok}, {@link #fail}, {@link #info}) when it ends; after an {@code info} the worker
 * continues under a fresh {@link #newProcess()}, because its old operation may still take
 * effect at any later time.
 *
 * <p>Thread safety: all methods are safe to call from any thread; recording is serialized on
 * this object, so the index and the time of ops grow together. Invariants: indexes are 0, 1, 2,
 * ... in list order; times never decrease along the list; a process has at most one pending
 * invocation; a process whose operation ended {@code info} never invokes again. A history made
 * by {@link #restore} is read-only.
 */
public final class History {
  private final HistoryHeader header;
  private final LongSupplier nanoTime;
  private final long origin;
  private final boolean readOnly;
  private final AtomicInteger nextProcess;
  private final List<Op> ops = new ArrayList<>();
  private final List<FaultWindow> faults = new ArrayList<>();
  private final Map<Integer, Op> pending = new HashMap<>();
  private final Set<Integer> retired = new HashSet<>();
  private long lastTime;

  /**
   * A new, empty history. {@code nanoTime} is a monotonic clock (such as {@code System::nanoTime}
   * or a test's manual clock); op times are measured from its value now.
   */
  public History(HistoryHeader header, LongSupplier nanoTime) {
    this(header, nanoTime, false);
  }

  private History(HistoryHeader header, LongSupplier nanoTime, boolean readOnly) {
    if (header == null || nanoTime == null) {
      throw new IllegalArgumentException("header and clock are required");
    }
    this.header = header;
    this.nanoTime = nanoTime;
    this.origin = readOnly ? 0 : nanoTime.getAsLong();
    this.readOnly = readOnly;
    this.nextProcess = new AtomicInteger();
  }

  /** A history starting now on the JVM's monotonic clock; for the harness's entry point. */
  public static History startNow(long seed, String scenario) {
    return new History(new HistoryHeader(seed, scenario, Instant.now()), System::nanoTime);
  }

  /**
   * A read-only history of recorded ops and fault windows (what {@link HistoryReader} returns).
   *
   * @throws IllegalArgumentException if indexes are not 0, 1, 2, ... or a process's ops do not
   *     alternate invoke/completion
   */
  public static History restore(HistoryHeader header, List<Op> ops, List<FaultWindow> faults) {
    History h = new History(header, () -> 0, true);
    int maxProcess = -1;
    for (Op op : ops) {
      if (op.index() != h.ops.size()) {
        throw new IllegalArgumentException("op index " + op.index() + " at position " + h.ops.size());
      }
      if (op.time() < h.lastTime) {
        throw new IllegalArgumentException("op " + op.index() + " goes back in time");
      }
      h.checkAlternation(op);
      h.ops.add(op);
      h.lastTime = op.time();
      maxProcess = Math.max(maxProcess, op.process());
    }
    h.faults.addAll(faults);
    h.nextProcess.set(maxProcess + 1);
    return h;
  }

  public HistoryHeader header() {
    return header;
  }

  /** A process id never handed out before (nor used by a restored op). */
  public int newProcess() {
    return nextProcess.getAndIncrement();
  }

  /** Nanoseconds since the run started. */
  public long now() {
    return Math.max(0, nanoTime.getAsLong() - origin);
  }

  /** Records the invocation of a write without context (or of a read). */
  public Op invoke(int process, Op.F f, String key, String value, String node) {
    return invoke(process, f, key, value, node, null);
  }

  /**
   * Records an invocation by a client pinned to {@code node}; {@code context} is the base64
   * context a write carries (or null).
   */
  public Op invoke(int process, Op.F f, String key, String value, String node, String context) {
    return invoke(process, f, key, value, ClientKind.PINNED, node, context);
  }

  /** Records an invocation by a client of the given kind ({@code node} null unless pinned). */
  public synchronized Op invoke(int process, Op.F f, String key, String value, ClientKind client,
      String node, String context) {
    writable();
    if (retired.contains(process)) {
      throw new IllegalStateException("process " + process + " ended with info; use newProcess()");
    }
    if (pending.containsKey(process)) {
      throw new IllegalStateException("process " + process + " already has a pending op: "
          + pending.get(process));
    }
    Op op = new Op(ops.size(), process, Op.Type.INVOKE, f, key, value, List.of(), tick(), node,
        client, context, -1, false, 0, List.of(), null, null);
    ops.add(op);
    pending.put(process, op);
    return op;
  }

  /** Records the completion of {@code invoke} with the given outcome and details. */
  public synchronized Op complete(Op invoke, Op.Type type, Completion c) {
    writable();
    if (type == Op.Type.INVOKE) {
      throw new IllegalArgumentException("a completion cannot be of type invoke");
    }
    if (!invoke.equals(pending.get(invoke.process()))) {
      throw new IllegalStateException("not a pending invocation of this history: " + invoke);
    }
    pending.remove(invoke.process());
    if (type == Op.Type.INFO) {
      retired.add(invoke.process());
    }
    Op op = new Op(ops.size(), invoke.process(), type, invoke.f(), invoke.key(), invoke.value(),
        c.values(), tick(), invoke.node(), invoke.client(), c.context(), c.acks(), c.sloppy(),
        c.sloppyAcks(), c.raw(), c.clock(), c.error());
    ops.add(op);
    return op;
  }

  public Op ok(Op invoke, Completion c) {
    return complete(invoke, Op.Type.OK, c);
  }

  /** The operation definitely did not take effect. */
  public Op fail(Op invoke, String error) {
    return complete(invoke, Op.Type.FAIL, Completion.NONE.withError(error));
  }

  /** The outcome is unknown (timeout, lost connection); the caller must take a new process. */
  public Op info(Op invoke, String error) {
    return complete(invoke, Op.Type.INFO, Completion.NONE.withError(error));
  }

  /** Completes every still-pending invocation as info (at the end of a run); returns them. */
  public synchronized List<Op> completePending(String reason) {
    List<Op> open = new ArrayList<>(pending.values());
    open.sort((a, b) -> Long.compare(a.index(), b.index()));
    List<Op> done = new ArrayList<>();
    for (Op inv : open) {
      done.add(info(inv, reason));
    }
    return done;
  }

  /** Records that a fault starts now; pass the result to {@link #faultEnded} when healed. */
  public synchronized FaultWindow faultStarted(String nemesis, String description) {
    writable();
    FaultWindow w = new FaultWindow(faults.size(), nemesis, tick(), FaultWindow.OPEN, description);
    faults.add(w);
    return w;
  }

  /**
   * Records that the fault {@code started} has been healed now.
   *
   * @throws IllegalStateException if it was already closed
   */
  public synchronized FaultWindow faultEnded(FaultWindow started) {
    writable();
    FaultWindow current = started.id() < faults.size() ? faults.get(started.id()) : null;
    if (current == null || current.startNanos() != started.startNanos()
        || !current.nemesis().equals(started.nemesis())) {
      throw new IllegalArgumentException("not a fault window of this history: " + started);
    }
    FaultWindow closed = current.closedAt(tick());
    faults.set(started.id(), closed);
    return closed;
  }

  /** A snapshot of the ops, in index order. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  /** A snapshot of the fault windows, in order of start. */
  public synchronized List<FaultWindow> faults() {
    return List.copyOf(faults);
  }

  /** Invocations paired with their completions, in order of invocation. */
  public List<OpPair> pairs() {
    return OpPair.pair(ops());
  }

  private long tick() {
    lastTime = Math.max(lastTime, now());
    return lastTime;
  }

  private void writable() {
    if (readOnly) {
      throw new IllegalStateException("a restored history is read-only");
    }
  }

  private void checkAlternation(Op op) {
    Op open = pending.get(op.process());
    if (op.isInvoke()) {
      if (open != null || retired.contains(op.process())) {
        throw new IllegalArgumentException("op " + op.index() + ": process " + op.process()
            + (open != null ? " invokes while op " + open.index() + " is pending" : " is retired"));
      }
      pending.put(op.process(), op);
    } else {
      if (open == null || open.f() != op.f() || !open.key().equals(op.key())
          || open.client() != op.client()) {
        throw new IllegalArgumentException(
            "op " + op.index() + ": completion without a matching invocation");
      }
      pending.remove(op.process());
      if (op.type() == Op.Type.INFO) {
        retired.add(op.process());
      }
    }
  }
}
