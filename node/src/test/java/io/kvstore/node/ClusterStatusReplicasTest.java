package io.kvstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.lsm.env.DefaultEnv;
import io.kvstore.node.cluster.Membership;
import io.kvstore.node.config.ConfigLoader;
import io.kvstore.node.config.MemberConfig;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.node.time.Clock;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.PartitionReplicas;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status answer carries, per partition, the N primary replicas of the answering node's own
 * ring (kvstore.proto, ClusterStatusResponse.partition_replicas): what token-aware clients route
 * by. One node on a ring that no member list derives, and a real 3-node cluster with N = 2 whose
 * answers name the replicas the coordinators use.
 */
class ClusterStatusReplicasTest {
  private static final long SEED = 20_261_130L;

  @TempDir Path root;

  @Test
  void theStatusListsEachPartitionsReplicasFromTheNodesOwnRing() throws IOException {
    int[] ports = TestCluster.freePorts(4);
    String members = "n1@127.0.0.1:" + ports[0] + ",n2@127.0.0.1:" + ports[1] + ",n3@127.0.0.1:"
        + ports[2] + ",n4@127.0.0.1:" + ports[3];
    NodeConfig config = ConfigLoader.load(null, List.of("node_id=n1",
        "data_dir=" + root.resolve("n1"), "cluster.members=" + members, "cluster.partitions=16",
        "cluster.n=3", "storage.memtable_mb=1", "storage.block_cache_mb=4"));
    List<NodeId> owners = new ArrayList<>(Ring.create(16, ids(config)).owners());
    Collections.shuffle(owners, new Random(SEED));
    Ring own = Ring.fromAssignment(5, owners); // not what the member list alone would give
    Map<NodeId, String> addresses = new LinkedHashMap<>();
    config.members().forEach(m -> addresses.put(m.id(), m.address().toString()));
    Membership membership = new Membership() {
      @Override
      public Map<NodeId, String> addresses() {
        return addresses;
      }

      @Override
      public Ring ring() {
        return own;
      }
    };
    try (Node node = Node.start(config,
        new io.kvstore.node.NodeParts(Clock.system(), DefaultEnv.INSTANCE, membership))) {
      ClusterStatusResponse s = status(ports[0]);
      assertEquals(5, s.getRing().getEpoch());
      assertEquals(table(own, 3), names(s));
      assertNotEquals(table(Ring.create(16, ids(config)), 3), names(s), "the control differs");
      assertEquals(names(s), names(status(ports[0])), "the same table every time");
    }
  }

  @Test
  void eachNodeOfAClusterNamesTheReplicasItsCoordinatorUses() throws Exception {
    try (TestCluster c = new TestCluster(root, 3, "cluster.n=2")) {
      ClusterStatusResponse first = c.status(0);
      assertEquals(64, first.getPartitionReplicasCount());
      for (int i = 0; i < 3; i++) {
        assertEquals(names(first), names(c.status(i)), "n" + (i + 1) + " agrees");
      }
      io.kvstore.ring.Partitioner partitioner = new io.kvstore.ring.Partitioner(64);
      for (int k = 0; k < 50; k++) {
        byte[] key = ("key-" + k).getBytes(StandardCharsets.UTF_8);
        List<Integer> listed = first.getPartitionReplicas(partitioner.partitionOf(key))
            .getNodeIdsList().stream().map(id -> Integer.parseInt(id.substring(1)) - 1).toList();
        assertEquals(c.replicas(key), listed, "key-" + k);
      }
    }
  }

  private static ClusterStatusResponse status(int port) {
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + port,
        InsecureChannelCredentials.create()).build();
    try {
      return KvStoreGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .getClusterStatus(ClusterStatusRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }

  private static List<NodeId> ids(NodeConfig config) {
    return config.members().stream().map(MemberConfig::id).toList();
  }

  private static List<List<String>> table(Ring ring, int n) {
    List<List<String>> out = new ArrayList<>();
    for (int p = 0; p < ring.partitionCount(); p++) {
      out.add(ring.preferenceList(p, n).stream().map(NodeId::id).toList());
    }
    return out;
  }

  private static List<List<String>> names(ClusterStatusResponse s) {
    return s.getPartitionReplicasList().stream().map(PartitionReplicas::getNodeIdsList)
        .map(List::copyOf).toList();
  }
}
