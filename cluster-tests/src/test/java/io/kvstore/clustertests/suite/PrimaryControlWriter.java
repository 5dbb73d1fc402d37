package io.kvstore.clustertests.suite;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.PutResult;
import io.kvstore.client.WriteOptions;
import io.kvstore.clustertests.checker.CheckResult;
import io.kvstore.clustertests.checker.PrimaryQuorumControl;
import io.kvstore.clustertests.checker.PrimaryQuorumControl.Attempt;
import io.kvstore.clustertests.checker.PrimaryQuorumControl.Outcome;
import io.kvstore.clustertests.harness.ContainerCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The control stream of {@link NemesisKind#PRIMARIES_DOWN} ({@link PrimaryQuorumControl}): while
 * two of the three primaries of the scenario's keys are down, PW=2 writes to keys with the same
 * primaries, which must all be refused UNAVAILABLE. It first waits (at most {@link
 * #CONVICTION_WAIT}) until every live node's failure detector reports both downed nodes DOWN, so
 * that a refusal is the coordinator's verdict on the primaries and not a request waiting out its
 * deadline at the paused one; then it writes about every {@link #INTERVAL} until the deadline,
 * round-robin through clients pinned to each live node (the surviving primary coordinates
 * itself; a fallback forwards to it). Its keys are its own and outside the history. Runs on the
 * nemesis thread; {@link #result} afterwards.
 */
final class PrimaryControlWriter implements Nemesis.WhileDown {
  static final Duration CONVICTION_WAIT = Duration.ofSeconds(12);
  static final Duration INTERVAL = Duration.ofMillis(250);
  /** The client's deadline: above the node's 2 s request timeout, so the node answers first. */
  static final Duration TIMEOUT = Duration.ofSeconds(4);
  /** The fewest control writes that show anything (about 40 fit in a 20 s window). */
  static final int MIN_ATTEMPTS = 10;
  private static final WriteOptions PW2 = new WriteOptions(2, 2);

  private final ContainerCluster cluster;
  private final List<Integer> live;
  private final Set<String> down;
  private final List<String> keys;
  private final String claim;
  private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
  private volatile long convictionNanos = -1;

  /**
   * @param live the nodes still up (the third primary and the fallbacks)
   * @param down the ids of the two downed primaries
   * @param keys control keys, placed on the same primaries as the workload's
   * @param claim what the fault is said to be, for messages
   */
  PrimaryControlWriter(ContainerCluster cluster, List<Integer> live, Set<String> down,
      List<String> keys, String claim) {
    this.cluster = cluster;
    this.live = List.copyOf(live);
    this.down = Set.copyOf(down);
    this.keys = List.copyOf(keys);
    this.claim = claim;
  }

  @Override
  public void run(long faultStartNanos, long deadlineNanos, BooleanSupplier healed) {
    List<KvClient> clients = new ArrayList<>();
    try {
      for (int i : live) {
        clients.add(cluster.client(i, TIMEOUT));
      }
      awaitConviction(clients, faultStartNanos,
          Math.min(deadlineNanos, faultStartNanos + CONVICTION_WAIT.toNanos()), healed);
      for (int k = 0; System.nanoTime() < deadlineNanos && !healed.getAsBoolean()
          && !Thread.currentThread().isInterrupted(); k++) {
        int c = k % clients.size();
        write(clients.get(c), ContainerCluster.nodeId(live.get(c)), keys.get(k % keys.size()),
            "pw2-" + k, faultStartNanos);
        sleep(INTERVAL.toMillis());
      }
    } finally {
      clients.forEach(KvClient::close);
    }
  }

  /** The verdict on the writes made so far. */
  CheckResult result() {
    return PrimaryQuorumControl.judge(claim, convictionNanos, List.copyOf(attempts), MIN_ATTEMPTS);
  }

  private void awaitConviction(List<KvClient> clients, long faultStart, long until,
      BooleanSupplier healed) {
    while (System.nanoTime() < until && !healed.getAsBoolean()
        && !Thread.currentThread().isInterrupted()) {
      if (clients.stream().allMatch(this::seesBothDown)) {
        convictionNanos = System.nanoTime() - faultStart;
        return;
      }
      sleep(200);
    }
  }

  private boolean seesBothDown(KvClient client) {
    try {
      ClusterStatus s = client.status();
      return s.members().stream().filter(m -> down.contains(m.nodeId()))
          .filter(m -> m.status() == ClusterStatus.MemberStatus.DOWN).count() == down.size();
    } catch (KvException e) {
      return false;
    }
  }

  private void write(KvClient client, String node, String key, String value, long faultStart) {
    long at = System.nanoTime() - faultStart;
    try {
      PutResult p = client.put(ClientOps.bytes(key), ClientOps.bytes(value), Context.EMPTY, PW2);
      attempts.add(new Attempt(key, node, at, Outcome.OK,
          "acks=" + p.acks() + " sloppyAcks=" + p.sloppyAcks()));
    } catch (KvException e) {
      boolean refused = e.code() == KvException.Code.UNAVAILABLE && !e.unreachable();
      attempts.add(new Attempt(key, node, at, refused ? Outcome.UNAVAILABLE : Outcome.OTHER,
          e.getMessage()));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
