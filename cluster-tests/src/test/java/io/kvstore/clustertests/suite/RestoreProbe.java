package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import io.kvstore.clustertests.history.RawSibling;
import io.kvstore.proto.Member;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Watches a {@link NemesisKind#RESTORE_BACKUP} run's restore ({@link RestoreHooks}) and
 * judges that it did what the scenario needs, so that its passing checkers mean something:
 *
 * <ul>
 *   <li>Just before the restore, the raw state of every replica of every key so far (recorded:
 *       C5 then sees the dots of the incarnation the restore discards, and would see one reused
 *       for another value) and the node's incarnation.
 *   <li>Right after the restart on the copy, the node's raw state of its keys (recorded) and its
 *       incarnation.
 * </ul>
 *
 * The result ({@value #NAME}) counts the keys the restore rolled back on the node (siblings it
 * held before, by dot, that it lacks right after; anti-entropy must bring them back, C1 and C2
 * judge that), and among them those no client operation touched after the restore (the
 * workloads' keys rotate every 2 s): no read repaired those, so their convergence (C2) is
 * anti-entropy's. It fails if the restore rolled back nothing (the scenario would have tested
 * nothing) or if the node's incarnation did not grow (the restored node must start a new actor
 * epoch, whatever the copied meta says). Thread safe enough: the hooks run on the nemesis thread, the result is read
 * after it ended.
 */
final class RestoreProbe implements RestoreHooks {
  static final String NAME = "restored node";
  private final ContainerCluster cluster;
  private final RawReader raw;
  private final Supplier<Map<String, List<Integer>>> replicas;
  private final Map<String, Set<String>> before = new TreeMap<>();
  private final Set<String> rolledBack = new java.util.TreeSet<>();
  private final History history;
  private volatile long restoredAt = -1;
  private volatile int node = -1;
  private volatile long incarnationBefore = -1;
  private volatile long incarnationAfter = -1;
  private volatile int rolledBackKeys = -1;
  private volatile int missingSiblings = -1;
  private volatile int keysRead;

  /** @param replicas key -> its replicas (indexes), for the keys used so far */
  RestoreProbe(ContainerCluster cluster, History history, RawReader raw,
      Supplier<Map<String, List<Integer>>> replicas) {
    this.cluster = cluster;
    this.history = history;
    this.raw = raw;
    this.replicas = replicas;
  }

  @Override
  public synchronized void beforeRestore(int node) {
    this.node = node;
    incarnationBefore = incarnation(node);
    restoredAt = history.now();
    replicas.get().forEach((key, nodes) -> {
      for (int i : nodes) {
        List<RawSibling> s = raw.read(key, i);
        if (i == node && s != null) {
          before.put(key, dots(s));
        }
      }
    });
  }

  @Override
  public synchronized void afterRestore(int node) {
    incarnationAfter = incarnation(node);
    int keys = 0;
    int missing = 0;
    int read = 0;
    for (Map.Entry<String, Set<String>> e : before.entrySet()) {
      List<RawSibling> s = raw.read(e.getKey(), node);
      if (s == null) {
        continue;
      }
      read++;
      Set<String> lacking = new HashSet<>(e.getValue());
      lacking.removeAll(dots(s));
      keys += lacking.isEmpty() ? 0 : 1;
      if (!lacking.isEmpty()) {
        rolledBack.add(e.getKey());
      }
      missing += lacking.size();
    }
    keysRead = read;
    rolledBackKeys = keys;
    missingSiblings = missing;
  }

  /** The verdict, once the nemesis thread has ended. */
  synchronized CheckResult result() {
    CheckResult.Builder r = CheckResult.builder(NAME).count("node", node + 1L)
        .count("keysBefore", before.size()).count("keysReadAfter", keysRead)
        .count("rolledBackKeys", rolledBackKeys).count("missingSiblings", missingSiblings)
        .count("untouchedAfterRestore", untouchedAfterRestore())
        .count("incarnationBefore", incarnationBefore).count("incarnationAfter", incarnationAfter);
    if (node < 0 || rolledBackKeys < 0) {
      return r.anomaly("the restore did not happen (or was not watched to its end)").build();
    }
    if (rolledBackKeys == 0) {
      r.anomaly("right after the restore, n" + (node + 1) + " lacked none of the " + keysRead
          + " keys' siblings it held before: the restore lost nothing, so nothing was tested");
    }
    if (incarnationAfter <= incarnationBefore) {
      r.anomaly("n" + (node + 1) + " restarted on the copy with incarnation " + incarnationAfter
          + ", not above " + incarnationBefore + " (before the restore): no new actor epoch");
    }
    return r.build();
  }

  /** Rolled-back keys that no client operation (read or write) touched after the restore. */
  private long untouchedAfterRestore() {
    Set<String> touched = new HashSet<>();
    for (OpPair p : history.pairs()) {
      if (p.start() >= restoredAt && p.f() != Op.F.RAW_READ && p.f() != Op.F.FINAL_READ) {
        touched.add(p.key());
      }
    }
    return rolledBack.stream().filter(k -> !touched.contains(k)).count();
  }

  private long incarnation(int i) {
    try {
      return cluster.status(i).getMembersList().stream().filter(Member::getIsSelf)
          .mapToLong(Member::getIncarnation).findFirst().orElse(-1);
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static Set<String> dots(List<RawSibling> siblings) {
    Set<String> d = new HashSet<>();
    siblings.forEach(s -> d.add(s.dot()));
    return d;
  }
}
