package io.kvstore.clustertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.ReadOptions;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.harness.DockerGate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault-injection harness itself: five real node containers come up and serve; kill -9 and
 * restart, and partitions by iptables or blackhole routes, do what the nemesis relies on.
 */
class ContainerHarnessTest {
  private static final Path REPO =
      Path.of(System.getenv().getOrDefault("KV_REPO", "..")).toAbsolutePath();
  static ContainerCluster cluster;

  @BeforeAll
  static void start() {
    DockerGate.requireDocker();
    cluster = new ContainerCluster(REPO, 5, 3, 2, 2);
    cluster.start();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void nodesServeKillAndRestart() {
    try (KvClient c1 = cluster.client(0, Duration.ofSeconds(3));
        KvClient c5 = cluster.client(4, Duration.ofSeconds(3))) {
      c1.put(b("k"), b("v"), Context.EMPTY);
      assertEquals(List.of("v"), strings(c5.get(b("k")).siblings()));

      cluster.kill(1);
      cluster.kill(2);
      cluster.kill(3);
      // At most two nodes left: a strict read of any key must fail, and say so.
      KvException e = assertThrows(KvException.class,
          () -> c1.get(b("k"), new ReadOptions(3, 0)));
      assertEquals(KvException.Code.UNAVAILABLE, e.code());
      for (int i = 1; i <= 3; i++) {
        cluster.restart(i);
      }
      assertEquals(List.of("v"), strings(c1.get(b("k"), new ReadOptions(3, 0)).siblings()));
    }
  }

  /** Both ways of cutting links (iptables, and the blackhole-route fallback) cut and heal. */
  @ParameterizedTest
  @EnumSource(ContainerCluster.CutMethod.class)
  void partitionsCutTrafficAndHealRestoresIt(ContainerCluster.CutMethod method) {
    ContainerCluster.CutMethod before = cluster.cutMethod();
    cluster.useCutMethod(method);
    try (KvClient c1 = cluster.client(0, Duration.ofSeconds(3));
        KvClient c2 = cluster.client(1, Duration.ofSeconds(3))) {
      String key = "cut-" + method;
      c1.put(b(key), b("v"), Context.EMPTY);
      assertEquals(List.of("v"), strings(c1.get(b(key), new ReadOptions(3, 0)).siblings()));

      // Isolate n1 from everyone: its strict reads fail, the others still answer.
      cluster.partition(Set.of(0), Set.of(1, 2, 3, 4));
      KvException cut = assertThrows(KvException.class,
          () -> c1.get(b(key), new ReadOptions(3, 0)));
      assertTrue(cut.code() == KvException.Code.UNAVAILABLE
          || cut.code() == KvException.Code.DEADLINE_EXCEEDED, cut.toString());
      assertEquals(List.of("v"), strings(c2.get(b(key), new ReadOptions(2, 0)).siblings()));
      cluster.heal();
      // Connections that lost packets recover at TCP's retransmission back-off: allow seconds.
      assertEquals(List.of("v"), eventually(Duration.ofSeconds(20),
          () -> strings(c1.get(b(key), new ReadOptions(3, 0)).siblings())));
    } finally {
      cluster.useCutMethod(before);
    }
  }

  /**
   * After a long partition with requests in flight, a healed node reaches its peers again within
   * seconds: its peer connections were closed by keepalive during the cut, not left in TCP's
   * retransmission back-off (which kept it cut off for about as long again as the partition
   * lasted: 28.6 s after a 30 s partition, before keepalive).
   */
  @Test
  void aHealedNodeReachesItsPeersAgainWithinSeconds() {
    try (KvClient c1 = cluster.client(0, Duration.ofSeconds(2))) {
      for (int k = 0; k < 10; k++) {
        c1.put(b("heal-" + k), b("v"), Context.EMPTY);
      }
      cluster.partition(Set.of(0), Set.of(1, 2, 3, 4));
      long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      for (int i = 0; System.nanoTime() < end; i++) {
        try {
          c1.get(b("heal-" + i % 10), new ReadOptions(3, 0));
        } catch (KvException e) {
          // the partition at work
        }
      }
      cluster.heal();
      long healed = System.nanoTime();
      eventually(Duration.ofSeconds(8), () -> {
        for (int k = 0; k < 10; k++) {
          assertEquals(List.of("v"), strings(c1.get(b("heal-" + k), new ReadOptions(3, 0)).siblings()));
        }
        return true;
      });
      System.out.printf("strict reads through the healed node all ok %.1f s after the heal%n",
          (System.nanoTime() - healed) / 1e9);
    } finally {
      cluster.heal();
    }
  }

  private static <T> T eventually(Duration bound, java.util.function.Supplier<T> call) {
    long end = System.nanoTime() + bound.toNanos();
    while (true) {
      try {
        return call.get();
      } catch (KvException e) {
        if (System.nanoTime() > end) {
          throw e;
        }
      }
    }
  }

  private static List<String> strings(List<byte[]> values) {
    return values.stream().map(v -> new String(v, StandardCharsets.UTF_8)).toList();
  }
}
