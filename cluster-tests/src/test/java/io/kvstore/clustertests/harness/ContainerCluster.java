package io.kvstore.clustertests.harness;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.client.KvClient;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;

/**
 * A cluster of real node containers on a Docker network with an explicit subnet and fixed
 * addresses (n1 = .11, n2 = .12, ...). Each container runs the supervisor, which runs the node
 * JVM; the nemesis primitives act inside the containers: kill -9 and restart of the JVM (same
 * data, same address), SIGSTOP/SIGCONT, and link cuts by iptables rules or, where netfilter is
 * unavailable, blackhole routes (NET_ADMIN only; {@link CutMethod}). Not thread safe:
 * one nemesis drives it.
 */
public final class ContainerCluster implements AutoCloseable {
  public static final int PORT = 7000;
  /** The ring's partition count (Q) in every node's configuration. */
  public static final int PARTITIONS = 64;
  private static final String SUBNET_PREFIX = "10.77.0.";
  /** Where a node keeps its data inside its container (the YAML's data_dir). */
  public static final String DATA_DIR = "/data/store";
  /** Where {@link #backupData} keeps a copy of it. */
  public static final String BACKUP_DIR = "/data/backup";


  /**
   * How links are cut. IPTABLES drops packets on input (FAULT-SUITE.md); BLACKHOLE, the fallback
   * where netfilter is unavailable, gives the sender a blackhole route to the receiver instead
   * ({@code ip route replace blackhole <ip>/32}): either way the receiver hears nothing from
   * the sender, while the other direction still flows.
   */
  public enum CutMethod {
    IPTABLES,
    BLACKHOLE
  }

  private final Network network;
  private final List<GenericContainer<?>> nodes = new ArrayList<>();
  private final int size;
  private CutMethod cutMethod = CutMethod.IPTABLES;

  @SuppressWarnings("resource")
  public ContainerCluster(Path repo, int size, int n, int r, int w) {
    this.size = size;
    this.network = Network.builder()
        .createNetworkCmdModifier(cmd -> cmd.withIpam(new com.github.dockerjava.api.model.Network.Ipam()
            .withConfig(new com.github.dockerjava.api.model.Network.Ipam.Config()
                .withSubnet(SUBNET_PREFIX + "0/24"))))
        .build();
    StringBuilder members = new StringBuilder();
    for (int i = 0; i < size; i++) {
      members.append("    - {id: n").append(i + 1).append(", address: ").append(ip(i)).append(':')
          .append(PORT).append("}\n");
    }
    for (int i = 0; i < size; i++) {
      String yaml = "node_id: n" + (i + 1) + "\n"
          + "listen: 0.0.0.0:" + PORT + "\n"
          + "data_dir: " + DATA_DIR + "\n"
          + "cluster:\n  partitions: " + PARTITIONS + "\n"
          + "  n: " + n + "\n  r: " + r + "\n  w: " + w + "\n"
          + "  members:\n" + members
          + "storage:\n  sync: group\n  memtable_mb: 8\n  block_cache_mb: 8\n"
          + "timeouts:\n  request_ms: 2000\n"
          + NodeSettings.yaml();
      String ip = ip(i);
      GenericContainer<?> c = new GenericContainer<>(NodeImage.get(repo))
          .withNetwork(network)
          .withNetworkAliases("n" + (i + 1))
          .withExposedPorts(PORT)
          .withCopyToContainer(Transferable.of(yaml), "/etc/kvstore/node.yaml")
          .withCreateContainerCmdModifier(cmd -> {
            cmd.withIpv4Address(ip);
            cmd.getHostConfig().withCapAdd(com.github.dockerjava.api.model.Capability.NET_ADMIN);
          })
          .withStartupTimeout(Duration.ofMinutes(2));
      nodes.add(c);
    }
  }

  /** Node i's id in the cluster's configuration: "n1" for 0, "n2" for 1, ... */
  public static String nodeId(int i) {
    return "n" + (i + 1);
  }

  /** The index of the node with id {@code nodeId} ("n3" -&gt; 2). */
  public int indexOf(String nodeId) {
    for (int i = 0; i < size; i++) {
      if (nodeId(i).equals(nodeId)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node " + nodeId + " in a cluster of " + size);
  }

  public static String ip(int i) {
    return SUBNET_PREFIX + (11 + i);
  }

  public int size() {
    return size;
  }

  /**
   * Starts the containers and waits until every node serves. Cuts use iptables where netfilter
   * works in the containers, and the blackhole-route fallback where it does not ({@link
   * #useCutMethod} overrides the choice).
   */
  public void start() {
    nodes.parallelStream().forEach(GenericContainer::start);
    for (int i = 0; i < size; i++) {
      awaitServing(i, Duration.ofSeconds(60));
    }
    if (!netfilterWorks()) {
      System.out.println("iptables does not work in the node containers (no netfilter?): "
          + "partitions use blackhole routes");
      cutMethod = CutMethod.BLACKHOLE;
    }
  }

  private boolean netfilterWorks() {
    try {
      exec(0, "iptables -S INPUT >/dev/null");
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Heals every cut, then cuts links with {@code method} from now on. */
  public void useCutMethod(CutMethod method) {
    heal();
    cutMethod = method;
  }

  public CutMethod cutMethod() {
    return cutMethod;
  }

  /** host:port of node i's gRPC port as seen from this JVM. */
  public String address(int i) {
    GenericContainer<?> c = nodes.get(i);
    return c.getHost() + ":" + c.getMappedPort(PORT);
  }

  /** A client pinned to node i (no failover: the workload decides which node it talks to). */
  public KvClient client(int i, Duration timeout) {
    return KvClient.builder().addresses(List.of(address(i))).timeout(timeout).maxAttempts(1).build();
  }

  /**
   * A client of every node, as an application would build it: the client library spreads calls
   * round-robin and tries the next node when one cannot be reached (and, for reads, when one
   * answers UNAVAILABLE); see {@link KvClient}.
   */
  public KvClient clientOfAll(Duration timeout) {
    List<String> all = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      all.add(address(i));
    }
    return KvClient.builder().addresses(all).timeout(timeout).build();
  }

  /** Node i's raw local state of {@code key} (Admin.GetLocalVersions: no quorum, no repair). */
  public LocalVersionsResponse localVersions(int i, byte[] key) {
    ManagedChannel ch = Grpc.newChannelBuilder(address(i), InsecureChannelCredentials.create())
        .build();
    try {
      return AdminGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .getLocalVersions(LocalVersionsRequest.newBuilder()
              .setKey(ByteString.copyFrom(key)).build());
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Node i's status as the node answers it (KvStore.GetClusterStatus), with what the client
   * library's {@link io.kvstore.client.ClusterStatus} leaves out, such as its anti-entropy.
   */
  public ClusterStatusResponse status(int i) {
    ManagedChannel ch = Grpc.newChannelBuilder(address(i), InsecureChannelCredentials.create())
        .build();
    try {
      return KvStoreGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
          .getClusterStatus(ClusterStatusRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }

  /**
   * Copies node i's data directory to {@link #BACKUP_DIR} (replacing an older copy), keeping
   * modes and times. Call it while the node is down ({@link #kill}): a copy of files the JVM is
   * writing could be torn.
   */
  public void backupData(int i) {
    exec(i, "set -e; " + AWAIT_DOWN + "rm -rf " + BACKUP_DIR + "; cp -a " + DATA_DIR
        + " " + BACKUP_DIR + "; sync");
  }

  /**
   * Replaces node i's data directory by the copy {@link #backupData} made (the copy is used up).
   * Call it while the node is down ({@link #kill}).
   */
  public void restoreData(int i) {
    exec(i, "set -e; " + AWAIT_DOWN + "test -d " + BACKUP_DIR + "; rm -rf " + DATA_DIR
        + "; mv " + BACKUP_DIR + " " + DATA_DIR + "; sync");
  }

  /** Waits (up to 10 s) until the supervisor saw the killed JVM exit; fails otherwise. */
  private static final String AWAIT_DOWN = "test -f /run/kv/hold; "
      + "for _ in $(seq 1 200); do [ -f /run/kv/node.pid ] || break; sleep 0.05; done; "
      + "test ! -f /run/kv/node.pid; ";

  /** Runs a shell command in node i's container; fails if it exits non-zero. */
  public String exec(int i, String script) {
    try {
      Container.ExecResult r = nodes.get(i).execInContainer("bash", "-c", script);
      if (r.getExitCode() != 0) {
        throw new IllegalStateException("n" + (i + 1) + ": '" + script + "' exited "
            + r.getExitCode() + ": " + r.getStderr());
      }
      return r.getStdout();
    } catch (IOException e) {
      throw new IllegalStateException("exec in n" + (i + 1) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9 of node i's JVM; it stays down until {@link #restart}. */
  public void kill(int i) {
    exec(i, "touch /run/kv/hold; if [ -f /run/kv/node.pid ]; then kill -9 $(cat /run/kv/node.pid); fi; true");
  }

  public void restart(int i) {
    exec(i, "rm -f /run/kv/hold");
    awaitServing(i, Duration.ofSeconds(60));
  }

  public void pause(int i) {
    exec(i, "kill -STOP $(cat /run/kv/node.pid)");
  }

  public void resume(int i) {
    exec(i, "kill -CONT $(cat /run/kv/node.pid) 2>/dev/null || true");
  }

  /** Node i hears nothing from the given nodes (a one-way cut if not mirrored). */
  public void dropFrom(int i, Collection<Integer> from) {
    if (cutMethod == CutMethod.IPTABLES) {
      StringBuilder s = new StringBuilder("set -e; ");
      for (int j : from) {
        s.append("iptables -A INPUT -s ").append(ip(j)).append(" -j DROP; ");
      }
      exec(i, s.toString());
    } else {
      for (int j : from) {
        exec(j, "ip route replace blackhole " + ip(i) + "/32");
      }
    }
  }

  /** Cuts every link between the two groups, in both directions. */
  public void partition(Collection<Integer> a, Collection<Integer> b) {
    for (int i : a) {
      dropFrom(i, b);
    }
    for (int i : b) {
      dropFrom(i, a);
    }
  }

  /** Removes every cut (iptables rules or blackhole routes) on every node. */
  public void heal() {
    for (int i = 0; i < size; i++) {
      exec(i, cutMethod == CutMethod.IPTABLES ? "iptables -F INPUT" : "ip route flush type blackhole");
    }
  }

  /**
   * Waits until node i's JVM listens on its port (checked from inside the container) and has
   * answered a real request: a freshly started JVM is slow on its first calls.
   */
  public void awaitServing(int i, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      try {
        Container.ExecResult r = nodes.get(i).execInContainer("bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + PORT);
        if (r.getExitCode() == 0 && answers(i)) {
          return;
        }
        Thread.sleep(200);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new IllegalStateException("n" + (i + 1) + " did not serve within " + timeout
        + "; log:\n" + log(i));
  }

  private boolean answers(int i) {
    try (KvClient c = client(i, Duration.ofSeconds(5))) {
      c.status();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public String log(int i) {
    try {
      return exec(i, "tail -n 200 /data/node.log; tail -n 20 /data/supervisor.log");
    } catch (RuntimeException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * Copies every node's log into {@code dir} (kept for failed runs): the last 5000 lines of the
   * node's log (a scenario's worth; the cluster serves several) and its supervisor's log.
   */
  public void saveLogs(Path dir) throws IOException {
    Files.createDirectories(dir);
    for (int i = 0; i < size; i++) {
      String text;
      try {
        text = exec(i, "tail -n 5000 /data/node.log; tail -n 50 /data/supervisor.log");
      } catch (RuntimeException e) {
        text = "(no log: " + e.getMessage() + ")";
      }
      Files.writeString(dir.resolve("n" + (i + 1) + ".log"), text);
    }
  }

  @Override
  public void close() {
    for (GenericContainer<?> c : nodes) {
      try {
        c.stop();
      } catch (RuntimeException e) {
        // keep stopping the others
      }
    }
    network.close();
  }

}
