package io.kvstore.node;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.node.config.ConfigLoader;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import io.kvstore.ring.NodeId;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An in-process cluster for tests: real nodes in this JVM, each with its own data directory,
 * talking real gRPC over localhost ports. Nodes can be stopped and restarted from their data.
 */
final class TestCluster implements AutoCloseable {
  private final List<NodeConfig> configs = new ArrayList<>();
  private final Node[] nodes;
  private final ManagedChannel[] channels;

  TestCluster(Path root, int size, String... extraSettings) throws IOException {
    int[] ports = freePorts(size);
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < size; i++) {
      members.append(i == 0 ? "" : ",").append("n").append(i + 1).append("@127.0.0.1:").append(ports[i]);
    }
    for (int i = 0; i < size; i++) {
      List<String> settings = new ArrayList<>(List.of(
          "node_id=n" + (i + 1),
          "data_dir=" + root.resolve("n" + (i + 1)),
          "cluster.members=" + members,
          "cluster.partitions=64",
          "storage.memtable_mb=1",
          "storage.block_cache_mb=4",
          "timeouts.request_ms=3000"));
      settings.addAll(List.of(extraSettings));
      configs.add(ConfigLoader.load(null, settings));
    }
    nodes = new Node[size];
    channels = new ManagedChannel[size];
    for (int i = 0; i < size; i++) {
      start(i);
      channels[i] = Grpc.newChannelBuilder("127.0.0.1:" + ports[i],
          InsecureChannelCredentials.create()).build();
    }
  }

  int size() {
    return nodes.length;
  }

  Node node(int i) {
    return nodes[i];
  }

  void start(int i) throws IOException {
    nodes[i] = Node.start(configs.get(i));
  }

  void stop(int i) {
    nodes[i].close();
    nodes[i] = null;
  }

  /** Stops node i as kill -9 would look to its peers (no shutdown announcement). */
  void crash(int i) {
    nodes[i].crash();
    nodes[i] = null;
  }

  /** Node i's status answer: its view of every member. */
  io.kvstore.proto.ClusterStatusResponse status(int i) {
    return kv(i).getClusterStatus(io.kvstore.proto.ClusterStatusRequest.getDefaultInstance());
  }

  /** Node {@code viewer}'s status entry of member {@code id}. */
  io.kvstore.proto.Member member(int viewer, String id) {
    return status(viewer).getMembersList().stream().filter(m -> m.getNodeId().equals(id))
        .findFirst().orElseThrow();
  }

  /**
   * Polls node {@code viewer}'s status until member {@code id} has status {@code want}; returns
   * System.nanoTime() then. Fails after {@code timeoutMillis}.
   */
  long awaitMember(int viewer, String id, io.kvstore.proto.MemberStatus want, long timeoutMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < deadline) {
      if (member(viewer, id).getStatus() == want) {
        return System.nanoTime();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("n" + (viewer + 1) + " never saw " + id + " " + want + ": "
        + member(viewer, id));
  }

  boolean running(int i) {
    return nodes[i] != null;
  }

  /** The client channel to node i. */
  ManagedChannel channel(int i) {
    return channels[i];
  }

  /** Client stub for node i, with a deadline. */
  KvStoreGrpc.KvStoreBlockingStub kv(int i) {
    return KvStoreGrpc.newBlockingStub(channels[i]).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  LocalVersionsResponse local(int i, byte[] key) {
    return AdminGrpc.newBlockingStub(channels[i]).withDeadlineAfter(5, TimeUnit.SECONDS)
        .getLocalVersions(LocalVersionsRequest.newBuilder().setKey(ByteString.copyFrom(key)).build());
  }

  /** Indexes of the N replicas of {@code key}, in preference order. */
  List<Integer> replicas(byte[] key) {
    NodeConfig c = configs.getFirst();
    var ring = new io.kvstore.node.cluster.StaticMembership(c.members(), c.partitions()).ring();
    List<Integer> out = new ArrayList<>();
    for (NodeId id : ring.preferenceList(key, c.n())) {
      out.add(Integer.parseInt(id.id().substring(1)) - 1);
    }
    return out;
  }

  /** What node i answers a coordinator's ReplicaRead of {@code key} with (its hints included). */
  io.kvstore.node.versioning.SiblingSet replicaRead(int i, byte[] key) {
    var r = io.kvstore.proto.ReplicaGrpc.newBlockingStub(channels[i])
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .replicaRead(io.kvstore.proto.ReplicaReadRequest.newBuilder()
            .setKey(ByteString.copyFrom(key)).build());
    return r.getPresent() ? io.kvstore.node.versioning.SiblingSet.decode(
        r.getSiblingSet().toByteArray()) : io.kvstore.node.versioning.SiblingSet.EMPTY;
  }

  /** Indexes of every node in {@code key}'s preference list: N primaries, then fallbacks. */
  List<Integer> preference(byte[] key) {
    NodeConfig c = configs.getFirst();
    var ring = new io.kvstore.node.cluster.StaticMembership(c.members(), c.partitions()).ring();
    List<Integer> out = new ArrayList<>();
    for (NodeId id : ring.preferenceListWithFallbacks(ring.partitionOf(key))) {
      out.add(Integer.parseInt(id.id().substring(1)) - 1);
    }
    return out;
  }

  /** {@code count} keys whose preference list equals {@code key}'s (same primaries, same order). */
  List<byte[]> keysLike(byte[] key, int count) {
    List<Integer> want = preference(key);
    List<byte[]> out = new ArrayList<>();
    for (int k = 0; out.size() < count; k++) {
      byte[] candidate = ("like-" + k).getBytes(StandardCharsets.UTF_8);
      if (preference(candidate).equals(want)) {
        out.add(candidate);
      }
    }
    return out;
  }

  /** Restarts a stopped node from its data directory. */
  void restart(int i) throws IOException {
    start(i);
  }

  /** Node i's data directory. */
  Path dataDir(int i) {
    return configs.get(i).dataDir();
  }

  /** A key for which node {@code i} is not a replica (needs more nodes than N). */
  byte[] keyNotReplicatedBy(int i) {
    for (int k = 0; ; k++) {
      byte[] key = ("key-" + k).getBytes(StandardCharsets.UTF_8);
      if (!replicas(key).contains(i)) {
        return key;
      }
    }
  }

  /** {@code n} localhost ports free a moment ago. */
  static int[] freePorts(int n) throws IOException {
    int[] ports = new int[n];
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0);
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
    return ports;
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      if (ch != null) {
        ch.shutdownNow();
      }
    }
    for (int i = 0; i < nodes.length; i++) {
      if (nodes[i] != null) {
        stop(i);
      }
    }
  }
}
