package io.kvstore.clustertests.suite;

import io.kvstore.clustertests.checker.AntiEntropyStats.NodeAe;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.proto.AntiEntropySummary;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.HintQueue;
import io.kvstore.proto.Member;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every node's status as the node answers it (KvStore.GetClusterStatus, raw: the client library
 * leaves anti-entropy out): its anti-entropy counters for {@link
 * io.kvstore.clustertests.checker.AntiEntropyStats} and its undelivered hints for C2.
 *
 * @param antiEntropy node -> its anti-entropy counters
 * @param hintsQueued node -> undelivered hints it holds (over every target)
 * @param failed node -> why it did not answer
 */
record NodeStatuses(Map<String, NodeAe> antiEntropy, Map<String, Integer> hintsQueued,
    Map<String, String> failed) {

  static NodeStatuses poll(ContainerCluster cluster) {
    Map<String, NodeAe> ae = new TreeMap<>();
    Map<String, Integer> hints = new TreeMap<>();
    Map<String, String> failed = new TreeMap<>();
    for (int i = 0; i < cluster.size(); i++) {
      String node = ContainerCluster.nodeId(i);
      try {
        ClusterStatusResponse s = cluster.status(i);
        long incarnation = s.getMembersList().stream().filter(Member::getIsSelf)
            .mapToLong(Member::getIncarnation).findFirst().orElse(-1);
        AntiEntropySummary a = s.getAntiEntropy();
        ae.put(node, new NodeAe(node, incarnation, a.getExchanges(), a.getExchangeFailures(),
            a.getKeysRepaired(), a.getRebuilds(), a.getTombstonesPurged(),
            a.getOldestFullExchangeAgeMillis()));
        hints.put(node, (int) s.getHints().getQueuesList().stream().mapToLong(HintQueue::getHints)
            .sum());
      } catch (RuntimeException e) {
        failed.put(node, e.getMessage());
      }
    }
    return new NodeStatuses(ae, hints, failed);
  }
}
