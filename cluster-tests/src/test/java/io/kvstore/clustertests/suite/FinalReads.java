package io.kvstore.clustertests.suite;

import io.kvstore.client.GetResult;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.ReadOptions;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import io.kvstore.proto.LocalSibling;
import io.kvstore.proto.LocalVersionsResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The reads that judge a run, after every fault has healed: for each key a read at R=N from
 * every node (retried while nodes come back), then every replica's raw local state.
 */
final class FinalReads {
  private FinalReads() {}

  static void record(ContainerCluster cluster, History history, List<String> keys, int n)
      throws InterruptedException {
    for (String key : keys) {
      for (int i = 0; i < cluster.size(); i++) {
        finalRead(cluster, history, key, i, n);
      }
      for (int i = 0; i < cluster.size(); i++) {
        rawRead(cluster, history, key, i);
      }
    }
  }

  private static void finalRead(ContainerCluster cluster, History history, String key, int node,
      int n) throws InterruptedException {
    String name = "n" + (node + 1);
    try (KvClient client = cluster.client(node, Duration.ofSeconds(5))) {
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

  private static void rawRead(ContainerCluster cluster, History history, String key, int node) {
    String name = "n" + (node + 1);
    int process = history.newProcess();
    Op inv = history.invoke(process, Op.F.RAW_READ, key, null, name);
    try {
      LocalVersionsResponse r = cluster.localVersions(node, ClientOps.bytes(key));
      List<RawSibling> raw = new ArrayList<>();
      List<String> live = new ArrayList<>();
      for (LocalSibling s : r.getSiblingsList()) {
        String value = s.getValue().toString(StandardCharsets.UTF_8);
        raw.add(new RawSibling(s.getDot(), value, s.getTombstone()));
        if (!s.getTombstone()) {
          live.add(value);
        }
      }
      history.ok(inv, Completion.NONE.withValues(live).withRaw(raw, r.getVectorClock()));
    } catch (RuntimeException e) {
      history.fail(inv, e.toString());
    }
  }
}
