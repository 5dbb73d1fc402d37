package io.kvstore.clustertests.suite;

import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.ReadOptions;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reads that judge a run, after every fault has healed and after C2's polls ({@link
 * ConvergencePoller}): for each key a read at R=N from every node (retried while nodes come
 * back), then every replica's raw local state. The R=N reads repair the replicas they read, which
 * is why they come after the polls that show convergence.
 */
final class FinalReads {
  private FinalReads() {}

  /** @param replicas key -> the indexes of its replica nodes */
  static void record(ContainerCluster cluster, History history, RawReader raw,
      Map<String, List<Integer>> replicas, int n) throws InterruptedException {
    List<KvClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < cluster.size(); i++) {
        clients.add(cluster.client(i, Duration.ofSeconds(5)));
      }
      for (Map.Entry<String, List<Integer>> e : replicas.entrySet()) {
        String key = e.getKey();
        for (int i = 0; i < cluster.size(); i++) {
          finalRead(clients.get(i), history, key, ContainerCluster.nodeId(i), n);
        }
        for (int node : e.getValue()) {
          raw.read(key, node);
        }
      }
    } finally {
      clients.forEach(KvClient::close);
    }
  }

  private static void finalRead(KvClient client, History history, String key, String name,
      int n) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      int process = history.newProcess();
      Op inv = history.invoke(process, Op.F.FINAL_READ, key, null, name);
      try {
        GetResult g = client.get(ClientOps.bytes(key), new ReadOptions(n, 0));
        history.ok(inv, ClientOps.readCompletion(g));
        return;
      } catch (KvException e) {
        history.fail(inv, e.toString());
        if (attempt == 20) {
          return;
        }
        Thread.sleep(500);
      }
    }
  }
}
