package io.kvstore.clustertests.suite;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.clustertests.checker.HintDrain;
import io.kvstore.clustertests.checker.HintDrain.NodeHints;
import io.kvstore.clustertests.checker.HintDrain.Poll;
import io.kvstore.clustertests.harness.ContainerCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks every node for its hint store ({@code status().hints()}, through a client pinned to each
 * node), for {@link HintDrain}: once when a scenario starts (the counters' baselines) and, after
 * the final heal, every {@link #INTERVAL} until every queue is empty or the bound has passed.
 */
final class HintPoller {
  static final Duration INTERVAL = Duration.ofMillis(250);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private HintPoller() {}

  /** Each node's hints now; a node that does not answer is left out. */
  static Map<String, NodeHints> snapshot(ContainerCluster cluster) {
    List<KvClient> clients = clients(cluster);
    try {
      return poll(clients, 0).answered();
    } finally {
      clients.forEach(KvClient::close);
    }
  }

  /**
   * Polls from now (the heal) until a poll finds every queue empty or {@code bound} has passed;
   * returns the polls, the last one drained or the last within the bound.
   */
  static List<Poll> drain(ContainerCluster cluster, Duration bound) throws InterruptedException {
    List<KvClient> clients = clients(cluster);
    try {
      long heal = System.nanoTime();
      List<Poll> polls = new ArrayList<>();
      while (true) {
        long at = System.nanoTime();
        Poll p = poll(clients, heal);
        polls.add(p);
        if (p.drained() || System.nanoTime() - heal > bound.toNanos()) {
          return polls;
        }
        Thread.sleep(Math.max(0, INTERVAL.toMillis() - (System.nanoTime() - at) / 1_000_000));
      }
    } finally {
      clients.forEach(KvClient::close);
    }
  }

  private static List<KvClient> clients(ContainerCluster cluster) {
    List<KvClient> clients = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      clients.add(cluster.client(i, TIMEOUT));
    }
    return clients;
  }

  private static Poll poll(List<KvClient> clients, long originNanos) {
    Map<String, NodeHints> answered = new TreeMap<>();
    Map<String, String> failed = new TreeMap<>();
    for (int i = 0; i < clients.size(); i++) {
      String node = ContainerCluster.nodeId(i);
      try {
        NodeHints h = of(clients.get(i).status());
        answered.put(h.node(), h);
      } catch (KvException e) {
        failed.put(node, e.getMessage());
      }
    }
    return new Poll(System.nanoTime() - originNanos, answered, failed);
  }

  static NodeHints of(ClusterStatus s) {
    ClusterStatus.Hints h = s.hints() == null ? ClusterStatus.Hints.NONE : s.hints();
    Map<String, Long> queued = new TreeMap<>();
    h.queues().forEach(q -> queued.merge(q.targetNodeId(), q.hints(), Long::sum));
    long incarnation = s.members().stream().filter(ClusterStatus.Member::self)
        .mapToLong(ClusterStatus.Member::incarnation).findFirst().orElse(-1);
    return new NodeHints(s.nodeId(), incarnation, queued, h.delivered(), h.expired(), h.corrupt(),
        h.torn());
  }
}
