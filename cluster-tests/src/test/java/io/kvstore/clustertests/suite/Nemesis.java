package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.harness.NodeSettings;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Injects one kind of fault on a schedule: a fault starts or stops about every {@code period}
 * (jittered by +-30%), each window recorded in the history; the first fault waits at least
 * {@link #QUIET_START} so that the availability report has that much fault-free time to compare
 * the first window with. {@link #healAll()} ends whatever is
 * still active (heals partitions, resumes paused and restarts killed nodes). Targets come from a
 * seeded random, so a run is reproducible from its seed. Runs on its own thread.
 *
 * <p>{@link NemesisKind#PRIMARIES_DOWN} follows its own schedule ({@link PrimariesDown}): one
 * window from {@link #QUIET_START} on, held {@code period} and then healed, over targets the
 * scenario chose (two primaries of its keys), with a task run on the nemesis thread meanwhile.
 * {@link NemesisKind#RESTORE_BACKUP} too: two windows on one node, a copy of its data directory
 * and, {@link #RESTORE_BACKUP_AGE} later, the copy restored ({@link #runRestore()}). A {@link
 * NemesisKind#KILL} window holds its node down at least {@link #KILL_MIN_HOLD}.
 */
final class Nemesis implements Runnable {
  /** Fault-free time before the first fault: the report's 10 s baseline plus start-up slack. */
  static final Duration QUIET_START = Duration.ofSeconds(11);

  /**
   * What {@link NemesisKind#PRIMARIES_DOWN} does: kill -9 {@code killed}, SIGSTOP {@code paused},
   * then run {@code whileDown} (until a deadline before the heal), then restart the killed node
   * (a few seconds, with both still down) and resume the paused one.
   */
  record PrimariesDown(int killed, int paused, String description, WhileDown whileDown) {}

  /** A task run while the fault is on; it must return by the deadline or once healed. */
  interface WhileDown {
    /**
     * @param faultStartNanos when the fault started ({@link System#nanoTime()})
     * @param deadlineNanos when to stop ({@link System#nanoTime()})
     * @param healed true once the run is being healed early
     */
    void run(long faultStartNanos, long deadlineNanos, java.util.function.BooleanSupplier healed);
  }

  /** How long before the end of a {@link PrimariesDown} window its task must stop. */
  static final Duration TASK_MARGIN = Duration.ofSeconds(1);

  /**
   * The least a {@link NemesisKind#KILL} window holds its node down: longer than the tombstone
   * grace, so that deletes early in the window reach the node's co-replicas and age past the
   * grace while the node is down (the node must not purge them before exchanging with it, and
   * the deleted values must not come back when it returns; C4).
   */
  static final Duration KILL_MIN_HOLD =
      Duration.ofMillis(NodeSettings.TOMBSTONE_GRACE_MS).plusSeconds(3);

  /**
   * {@link NemesisKind#RESTORE_BACKUP}: the age of the data directory copy when it replaces the
   * node's data directory.
   *
   * <p>Kept well under tombstone grace + hint window (35 s): a value deleted after the copy was
   * made may still be live in the copy; the co-replicas purge its tombstone no earlier than grace
   * + hint window after the delete (they need exchanges that started after the grace and ended a
   * hint window ago), so the restored node must have exchanged with them by copy time + grace +
   * window, or the purged value comes back from the copy. That is the known limitation of
   * restoring a copy older than the grace (as with Cassandra's gc_grace), which the suite
   * respects rather than tests: here the restored node, down {@link #KILL_MIN_HOLD} for the
   * restore, has about 10 s to exchange once it serves, and it exchanges every ~3 s. {@link #run()} fails the scenario if the restore came later than the
   * copy's age allows.
   */
  static final Duration RESTORE_BACKUP_AGE = Duration.ofSeconds(16);

  /** The most a restored copy may be older than (see {@link #RESTORE_BACKUP_AGE}). */
  static final Duration RESTORE_BACKUP_MAX_AGE = Duration.ofMillis(
      NodeSettings.TOMBSTONE_GRACE_MS + NodeSettings.HINT_WINDOW_MS).minusSeconds(10);

  private final ContainerCluster cluster;
  private final History history;
  private final NemesisKind kind;
  private final PrimariesDown primariesDown;
  private final Random rnd;
  private final Duration period;
  private final RestoreHooks restoreHooks;
  private volatile boolean stopped;
  /** No fault starts at or after this nanoTime (the end of the workload); see {@link #lastStart}. */
  private volatile long lastStartNanos = Long.MAX_VALUE;
  private FaultWindow open;
  private int target = -1;
  /** Window id -> the nodes whose JVM it killed or stopped. */
  private final Map<Integer, List<Integer>> down = new ConcurrentHashMap<>();

  Nemesis(ContainerCluster cluster, History history, NemesisKind kind, long seed, Duration period) {
    this(cluster, history, kind, seed, period, null);
  }

  /** @param primariesDown the plan of a {@link NemesisKind#PRIMARIES_DOWN} run, else null */
  Nemesis(ContainerCluster cluster, History history, NemesisKind kind, long seed, Duration period,
      PrimariesDown primariesDown) {
    this(cluster, history, kind, seed, period, primariesDown, RestoreHooks.NONE);
  }

  /**
   * @param primariesDown the plan of a {@link NemesisKind#PRIMARIES_DOWN} run, else null
   * @param restoreHooks called around the restore of a {@link NemesisKind#RESTORE_BACKUP} run
   */
  Nemesis(ContainerCluster cluster, History history, NemesisKind kind, long seed, Duration period,
      PrimariesDown primariesDown, RestoreHooks restoreHooks) {
    if ((primariesDown != null) != (kind == NemesisKind.PRIMARIES_DOWN)) {
      throw new IllegalArgumentException(kind + " with plan " + primariesDown);
    }
    this.cluster = cluster;
    this.history = history;
    this.kind = kind;
    this.rnd = new Random(seed ^ 0x6e656d65L);
    this.period = period;
    this.primariesDown = primariesDown;
    this.restoreHooks = restoreHooks;
  }

  /** Window id -> the nodes (indexes) whose JVM it killed or stopped, for kinds that do so. */
  Map<Integer, List<Integer>> downNodes() {
    return Map.copyOf(down);
  }

  @Override
  public void run() {
    if (kind == NemesisKind.NONE) {
      return;
    }
    if (kind.singleWindow()) {
      runSingleWindow();
      return;
    }
    if (kind == NemesisKind.RESTORE_BACKUP) {
      runRestore();
      return;
    }
    boolean first = true;
    while (!stopped) {
      boolean holdingKill;
      synchronized (this) {
        holdingKill = kind == NemesisKind.KILL && open != null;
      }
      if (!sleepJittered(first ? QUIET_START.toMillis()
          : holdingKill ? KILL_MIN_HOLD.toMillis() : 0)) {
        return;
      }
      first = false;
      synchronized (this) {
        if (stopped) {
          return;
        }
        if (open == null) {
          if (System.nanoTime() >= lastStartNanos) {
            return; // the clients have stopped: a fault now would have no operations to judge
          }
          start();
        } else {
          stop();
        }
      }
    }
  }

  /** One window: start after the quiet time, run the task, heal after {@code period}. */
  private void runSingleWindow() {
    if (!sleepUntil(System.nanoTime() + QUIET_START.toNanos())) {
      return;
    }
    long started;
    synchronized (this) {
      if (stopped) {
        return;
      }
      start();
      started = System.nanoTime();
    }
    long end = started + period.toNanos();
    primariesDown.whileDown().run(started, end - TASK_MARGIN.toNanos(), () -> stopped);
    if (!sleepUntil(end)) {
      return;
    }
    synchronized (this) {
      if (open != null) {
        stop();
      }
    }
  }

  /**
   * {@link NemesisKind#RESTORE_BACKUP}: after the quiet start, kill -9 a node, copy its data
   * directory, restart it {@link #KILL_MIN_HOLD} after the kill (one window); {@link
   * #RESTORE_BACKUP_AGE} after the copy, call {@link RestoreHooks#beforeRestore}, kill -9 it
   * again, replace its data directory by the copy, restart it as long after (a second window),
   * call {@link RestoreHooks#afterRestore}. Fails if the copy was
   * older than {@link #RESTORE_BACKUP_MAX_AGE} when restored.
   */
  private void runRestore() {
    if (!sleepUntil(System.nanoTime() + QUIET_START.toNanos())) {
      return;
    }
    int node = shuffled(cluster.size()).getFirst();
    long copied;
    synchronized (this) {
      if (stopped) {
        return;
      }
      target = node;
      cluster.kill(node);
      open = history.faultStarted(kind.historyName(), "kill -9 n" + (node + 1)
          + ", copy of its data directory, restart");
      down.put(open.id(), List.of(node));
      cluster.backupData(node);
      copied = System.nanoTime();
    }
    holdDown();
    synchronized (this) {
      if (open != null) {
        stop();
      }
    }
    if (!sleepUntil(copied + RESTORE_BACKUP_AGE.toNanos())) {
      return;
    }
    restoreHooks.beforeRestore(node);
    synchronized (this) {
      if (stopped) {
        return;
      }
      target = node;
      cluster.kill(node);
      long age = System.nanoTime() - copied;
      open = history.faultStarted(kind.historyName(), "kill -9 n" + (node + 1)
          + ", data directory replaced by the copy made " + age / 1_000_000 + " ms before, restart");
      down.put(open.id(), List.of(node));
      cluster.restoreData(node);
      if (age > RESTORE_BACKUP_MAX_AGE.toNanos()) {
        throw new IllegalStateException("the copy of n" + (node + 1) + "'s data directory was "
            + age / 1_000_000 + " ms old when restored, more than " + RESTORE_BACKUP_MAX_AGE
            + ": values deleted since may have been purged and could come back from the copy"
            + " (a known limitation, not what this scenario tests)");
      }
    }
    holdDown();
    synchronized (this) {
      if (open == null) {
        return; // healed meanwhile (and restarted by the heal)
      }
      stop();
    }
    restoreHooks.afterRestore(node);
  }

  /**
   * Keeps a {@link NemesisKind#RESTORE_BACKUP} window's node down {@link #KILL_MIN_HOLD} from the
   * window's start, as a kill window does: a restore takes a while, and the windows stay long
   * enough for the availability report to judge them as it judges kills.
   */
  private void holdDown() {
    FaultWindow w;
    synchronized (this) {
      w = open;
    }
    if (w != null) {
      sleepUntil(System.nanoTime() - history.now() + w.startNanos() + KILL_MIN_HOLD.toNanos());
    }
  }

  /** Sleeps until {@code endNanos} ({@link System#nanoTime()}); false when stopped meanwhile. */
  private boolean sleepUntil(long endNanos) {
    while (!stopped && System.nanoTime() < endNanos) {
      try {
        Thread.sleep(Math.min(100, Math.max(1, (endNanos - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped;
  }

  /**
   * Starts no new fault at or after {@code nanoTime}: the workload's clients stop invoking then,
   * while the scenario may wait seconds more for their last requests, and a fault window opened
   * in between holds no operation (the availability checker would judge it empty).
   */
  void lastStart(long nanoTime) {
    lastStartNanos = nanoTime;
  }

  /** Stops the schedule and ends any active fault. */
  synchronized void healAll() {
    stopped = true;
    if (open != null) {
      stop();
    }
    cluster.heal();
    for (int i = 0; i < cluster.size(); i++) {
      cluster.resume(i);
    }
  }

  /** Sleeps about one period (at least {@code minMillis}); false when stopped meanwhile. */
  private boolean sleepJittered(long minMillis) {
    long ms = Math.max(minMillis, (long) (period.toMillis() * (0.7 + 0.6 * rnd.nextDouble())));
    long end = System.currentTimeMillis() + ms;
    while (!stopped && System.currentTimeMillis() < end) {
      try {
        Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped;
  }

  private void start() {
    int n = cluster.size();
    List<Integer> nodes = shuffled(n);
    String what;
    switch (kind) {
      case PARTITION_HALVES -> {
        Set<Integer> a = new TreeSet<>(nodes.subList(0, n / 2));
        Set<Integer> b = new TreeSet<>(nodes.subList(n / 2, n));
        cluster.partition(a, b);
        what = names(a) + " | " + names(b);
      }
      case ISOLATE_ONE -> {
        target = nodes.getFirst();
        cluster.partition(Set.of(target), new TreeSet<>(nodes.subList(1, n)));
        what = "n" + (target + 1) + " isolated";
      }
      case MAJORITIES_RING -> {
        for (int i = 0; i < n; i++) {
          List<Integer> far = new ArrayList<>();
          for (int d = 2; d <= n - 2; d++) {
            far.add(nodes.get((nodes.indexOf(i) + d) % n));
          }
          cluster.dropFrom(i, far);
        }
        what = "ring " + names(nodes) + ", each node sees its two neighbours";
      }
      case BRIDGE -> {
        Set<Integer> a = new TreeSet<>(nodes.subList(0, 2));
        Set<Integer> b = new TreeSet<>(nodes.subList(3, n));
        cluster.partition(a, b);
        what = names(a) + " | " + names(b) + " bridged by n" + (nodes.get(2) + 1);
      }
      case ONE_WAY -> {
        target = nodes.getFirst();
        Set<Integer> from = new TreeSet<>(nodes.subList(1, 3));
        cluster.dropFrom(target, from);
        what = "n" + (target + 1) + " hears nothing from " + names(from);
      }
      case KILL -> {
        target = nodes.getFirst();
        cluster.kill(target);
        what = "kill -9 n" + (target + 1);
      }
      case PAUSE -> {
        target = nodes.getFirst();
        cluster.pause(target);
        what = "SIGSTOP n" + (target + 1);
      }
      case PRIMARIES_DOWN -> {
        cluster.kill(primariesDown.killed());
        cluster.pause(primariesDown.paused());
        what = primariesDown.description();
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    open = history.faultStarted(kind.historyName(), what);
    if (kind == NemesisKind.PRIMARIES_DOWN) {
      down.put(open.id(), List.of(primariesDown.killed(), primariesDown.paused()));
    } else if (kind.stopsNodes()) {
      down.put(open.id(), List.of(target));
    }
  }

  private void stop() {
    switch (kind) {
      case KILL, RESTORE_BACKUP -> cluster.restart(target);
      case PAUSE -> cluster.resume(target);
      case PRIMARIES_DOWN -> { // the restart takes seconds, with both still down
        cluster.restart(primariesDown.killed());
        cluster.resume(primariesDown.paused());
      }
      default -> cluster.heal();
    }
    history.faultEnded(open);
    open = null;
    target = -1;
  }

  private List<Integer> shuffled(int n) {
    List<Integer> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(i);
    }
    Collections.shuffle(nodes, rnd);
    return nodes;
  }

  private static String names(Iterable<Integer> nodes) {
    StringBuilder sb = new StringBuilder("{");
    for (int i : nodes) {
      sb.append(sb.length() > 1 ? "," : "").append('n').append(i + 1);
    }
    return sb.append('}').toString();
  }
}
