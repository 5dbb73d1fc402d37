package io.kvstore.node.handoff;

import io.kvstore.node.cluster.Liveness;
import io.kvstore.node.config.HintsConfig;
import io.kvstore.node.hints.HintRecord;
import io.kvstore.node.hints.HintStats;
import io.kvstore.node.hints.HintStore;
import io.kvstore.node.time.Clock;
import io.kvstore.node.time.Scheduler;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hinted handoff (DESIGN.md section 6): hands the hints kept for down owners back to them once
 * they are up. A periodic sweep drops hints older than the hint window, flags the targets that
 * lost hints, and starts a replay ({@link Replay}) for every target with undelivered hints that
 * liveness says is up; {@link #onUp} starts one at once. At most one replay runs per target; a
 * failed one is retried after the {@link Throttle}'s backoff, and all replays share its byte cap.
 *
 * <p>Targets that lost hints (expired, corrupt, torn) need anti-entropy: {@link #needsRepair},
 * persisted in the flag file ({@link RepairFlags}, FORMAT.md beside this file) and reloaded here.
 *
 * <p>Deterministic: time only from the {@link Clock}, timers only from the {@link Scheduler},
 * work on the given {@link Executor} (never on a caller's thread, except {@link
 * #clearNeedsRepair}'s file write). Thread safe. {@link #close} stops sweeps and retries and makes
 * running replays stop at their next step; it does not wait for deliveries in flight (a hint
 * whose acknowledgement arrives after close is simply delivered again next time).
 */
public final class HandoffManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HandoffManager.class);
  /**
   * A batch whose deliveries get no answer at all for this long fails (HintDelivery should time
   * out first; this only keeps a lost future from stalling its target for good).
   */
  static final long DELIVERY_TIMEOUT_MILLIS = 60_000;

  /** One target's replay state. Guarded by the manager's monitor. */
  private static final class TargetState {
    boolean running;
    long retryAtNanos = Long.MIN_VALUE;
    Scheduler.Cancellable retry;
  }

  private final String self;
  private final HintStore store;
  private final Liveness liveness;
  private final Clock clock;
  private final Scheduler scheduler;
  private final Executor executor;
  private final HintsConfig config;
  private final HandoffListener listener;
  private final RepairFlags flags;
  private final RateWindow rates = new RateWindow();
  private final Replay.Deps deps;
  private final Replay.Host host = new ReplayHost();
  private final Map<NodeId, TargetState> states = new HashMap<>(); // guarded by this
  private long delivered; // guarded by this
  private long deliveredBytes; // guarded by this
  private boolean closed; // guarded by this
  private Scheduler.Cancellable sweeping; // guarded by this

  /**
   * Loads the needs-repair flags from {@code flagFile}; a damaged file is logged and every target
   * the store knows is flagged. Nothing runs before {@link #start} or {@link #onUp}.
   *
   * @param self this node, for the logs (null: "-")
   * @param flagFile where the needs-repair flags live; written through the store's {@code Env}
   * @param executor runs replays and sweeps; any executor (a direct one too)
   * @throws UncheckedIOException if the flag file cannot be read or rewritten
   */
  public HandoffManager(NodeId self, HintStore store, HintDelivery delivery, Liveness liveness,
      Clock clock, Scheduler scheduler, Executor executor, HintsConfig config, Path flagFile,
      HandoffListener listener) {
    this.self = self == null ? "-" : self.id();
    this.store = store;
    this.liveness = liveness;
    this.clock = clock;
    this.scheduler = scheduler;
    this.executor = executor;
    this.config = config;
    this.listener = listener;
    this.flags = new RepairFlags(store.env(), flagFile);
    this.deps = new Replay.Deps(store, delivery, liveness, clock, scheduler, executor,
        new Throttle(clock, config.maxBytesPerSecond()), config.window().toMillis(),
        config.batchHints(), DELIVERY_TIMEOUT_MILLIS, this.self);
    loadFlags(flagFile);
  }

  private void loadFlags(Path flagFile) {
    try {
      String damage = flags.load();
      if (damage != null) {
        Set<NodeId> all = store.targets();
        LOG.warn("event=repair_flags_damaged node={} file={} reason=\"{}\" action=\"all {} known"
            + " targets need repair\"", self, flagFile, damage, all.size());
        flags.addAll(all);
        flags.persist();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading hint repair flags " + flagFile, e);
    }
  }

  /** Starts the periodic sweep (the first one at once), every {@code config.sweepInterval()}. */
  public synchronized void start() {
    if (closed || sweeping != null) {
      return;
    }
    long every = config.sweepInterval().toMillis();
    sweeping = scheduler.scheduleWithFixedDelay(
        () -> executor.execute(this::sweep), every, TimeUnit.MILLISECONDS);
    executor.execute(this::sweep);
  }

  /**
   * The failure detector saw {@code target} come up: replay its hints soon, even if it is backing
   * off, and even if liveness does not say "up" yet (the gossip driver tells its listeners before
   * it publishes the new state). Never blocks.
   */
  public void onUp(NodeId target) {
    executor.execute(() -> begin(target, true));
  }

  /**
   * Drops expired hints, flags who lost them (also targets whose expired hints share a segment
   * with younger ones, so are not dropped yet), starts replays to up targets with hints.
   */
  void sweep() {
    if (isClosed()) {
      return;
    }
    try {
      long cutoff = clock.currentTimeMillis() - config.window().toMillis();
      for (NodeId t : store.dropOlderThan(cutoff)) {
        flag(t, "expired");
      }
      for (NodeId t : store.targets()) {
        HintStats s = store.stats(t);
        if (s.hints() > 0 && s.oldestCreatedMillis() < cutoff) {
          flag(t, "expired"); // in a segment with younger ones: no reader will deliver it
        }
        begin(t, false);
      }
    } catch (RuntimeException e) {
      LOG.error("event=handoff_sweep_failed node={} error=\"{}\"", self, e.toString(), e);
    }
    persistFlags();
  }

  /**
   * Starts a replay of {@code target} unless one runs or it has no hints; unless {@code upEvent},
   * also unless liveness says it is down or it backs off.
   */
  private void begin(NodeId target, boolean upEvent) {
    Replay r;
    synchronized (this) {
      TargetState s = states.computeIfAbsent(target, t -> new TargetState());
      if (closed || s.running || !upEvent && clock.nanoTime() < s.retryAtNanos) {
        return;
      }
      if (!upEvent && !liveness.isUp(target) || store.stats(target).hints() == 0) {
        return;
      }
      if (s.retry != null) {
        s.retry.cancel();
        s.retry = null;
      }
      s.running = true;
      r = new Replay(deps, host, target);
    }
    r.start();
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void flag(NodeId target, String why) {
    if (flags.add(target)) {
      LOG.warn("event=handoff_needs_repair node={} target={} reason={}", self, target.id(), why);
      persistFlags();
    }
  }

  private void persistFlags() {
    try {
      flags.persist();
    } catch (IOException e) {
      LOG.error("event=repair_flags_write_failed node={} error=\"{}\" (retried at the next sweep)",
          self, e.toString());
    }
  }

  /** Targets that lost hints (expired or corrupt) and need anti-entropy; survives restarts. */
  public Set<NodeId> needsRepair() {
    return new TreeSet<>(flags.snapshot());
  }

  /** Anti-entropy repaired {@code target}: drop its flag (writes the flag file). */
  public void clearNeedsRepair(NodeId target) {
    if (flags.remove(target)) {
      LOG.info("event=handoff_repair_cleared node={} target={}", self, target.id());
      persistFlags();
    }
  }

  /** Per-target queues, totals since start and the replay rate over the last 10 s. */
  public HandoffSummary summary() {
    Set<NodeId> targets = new TreeSet<>(store.targets());
    targets.addAll(flags.snapshot());
    long now = clock.currentTimeMillis();
    List<HandoffSummary.TargetQueue> queues = new ArrayList<>();
    for (NodeId t : targets) {
      HintStats s = store.stats(t);
      boolean flagged = flags.contains(t);
      if (s.hints() > 0 || flagged) {
        long age = s.hints() == 0 ? 0 : Math.max(0, now - s.oldestCreatedMillis());
        queues.add(new HandoffSummary.TargetQueue(t, s.hints(), s.bytes(), age, flagged));
      }
    }
    double[] rate = rates.rates(clock.millis());
    synchronized (this) {
      return new HandoffSummary(queues, delivered, deliveredBytes, store.expiredHints(),
          store.corruptRecords(), store.tornTails(), config.window().toMillis(), rate[0], rate[1]);
    }
  }

  /** Stops sweeps and retries; running replays stop at their next step. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (sweeping != null) {
        sweeping.cancel();
      }
      for (TargetState s : states.values()) {
        if (s.retry != null) {
          s.retry.cancel();
        }
      }
    }
    persistFlags();
  }

  /** What replays report. */
  private final class ReplayHost implements Replay.Host {
    @Override
    public boolean closed() {
      return isClosed();
    }

    @Override
    public void delivered(NodeId target, List<HintRecord> batch, long bytes) {
      synchronized (HandoffManager.this) {
        delivered += batch.size();
        deliveredBytes += bytes;
      }
      rates.add(clock.millis(), batch.size(), bytes);
      for (HintRecord r : batch) {
        try {
          listener.delivered(target, r.hint().key());
        } catch (RuntimeException e) {
          LOG.error("event=handoff_listener_failed node={} target={} error=\"{}\"", self,
              target.id(), e.toString(), e);
        }
      }
    }

    @Override
    public void lostHints(NodeId target, String why) {
      flag(target, why);
    }

    @Override
    public void ended(NodeId target, Replay.Outcome outcome, long retryAfterMillis) {
      synchronized (HandoffManager.this) {
        TargetState s = states.get(target);
        s.running = false;
        if (outcome == Replay.Outcome.FAILED && !closed) {
          s.retryAtNanos = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryAfterMillis);
          s.retry = scheduler.schedule(() -> executor.execute(() -> begin(target, false)),
              retryAfterMillis, TimeUnit.MILLISECONDS);
        }
      }
      if (outcome == Replay.Outcome.DRAINED) {
        try {
          listener.drained(target);
        } catch (RuntimeException e) {
          LOG.error("event=handoff_listener_failed node={} target={} error=\"{}\"", self,
              target.id(), e.toString(), e);
        }
      }
    }
  }
}
