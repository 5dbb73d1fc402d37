package io.kvstore.clustertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.stub.MetadataUtils;
import io.kvstore.client.ClusterStatus;
import io.kvstore.client.Context;
import io.kvstore.client.KvClient;
import io.kvstore.client.KvException;
import io.kvstore.client.ReadOptions;
import io.kvstore.client.WriteOptions;
import io.kvstore.clustertests.harness.DockerGate;
import io.kvstore.clustertests.kubernetes.Manifests;
import io.kvstore.clustertests.kubernetes.Pod;
import io.kvstore.clustertests.kubernetes.PodContainer;
import io.kvstore.clustertests.kubernetes.ProductionImage;
import io.kvstore.clustertests.kubernetes.TestSecrets;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.Network;

/**
 * deploy/kubernetes run for real, without a Kubernetes: the production image (built from
 * deploy/docker as scripts/image.sh builds it) runs as the StatefulSet's three pods, each with
 * exactly the args and env the manifests give (downward API and $(VAR) expanded as the kubelet
 * does), the ConfigMap's node.yaml and the Secrets at their mount paths, a volume per claim, on
 * a Docker network where each pod has its hostname and its headless-Service DNS name; the
 * Secrets are made with scripts/tls-certs.sh as deploy/kubernetes/README.md says. Clients talk
 * TLS with the cluster CA (verifying the pod's DNS name) and a token. If the manifests and the
 * node disagree (a member address, a port, a path, a probe's service), the pods do not become
 * ready, do not see each other, or cannot serve, and this fails.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesManifestTest {
  private static final Path REPO =
      Path.of(System.getenv().getOrDefault("KV_REPO", "..")).toAbsolutePath();
  private static final Duration READY = Duration.ofSeconds(60);
  private static Network network;
  private static final List<PodContainer> pods = new ArrayList<>();
  private static int grpcPort;
  private static TestSecrets secrets;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startPods() {
    DockerGate.requireDocker();
    Manifests manifests = Manifests.load(REPO.resolve("deploy/kubernetes"));
    secrets = TestSecrets.make(REPO, tmp);
    network = Network.newNetwork();
    String prefix = "kvtest-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    int replicas = Integer.parseInt(String.valueOf(
        ((Map<?, ?>) manifests.only("StatefulSet").get("spec")).get("replicas")));
    for (int i = 0; i < replicas; i++) {
      pods.add(new PodContainer(manifests.pod(i, secrets.secrets()), ProductionImage.get(REPO),
          network, prefix));
    }
    grpcPort = pods.getFirst().pod().ports().get("grpc");
    pods.parallelStream().forEach(PodContainer::start); // podManagementPolicy: Parallel
    for (PodContainer p : pods) {
      p.awaitReady(READY);
    }
  }

  @AfterAll
  static void stopPods() {
    for (PodContainer p : pods) {
      p.close();
      p.removeVolumes();
    }
    if (network != null) {
      network.close();
    }
  }

  @Test
  @Order(1)
  void everyProbeAnswersServingOnItsPort() {
    for (PodContainer p : pods) {
      Pod pod = p.pod();
      for (Pod.Probe probe : new Pod.Probe[] {pod.startup(), pod.readiness(), pod.liveness()}) {
        assertEquals(ServingStatus.SERVING, p.check(probe), pod.name() + " " + probe);
      }
    }
  }

  /** Every pod reaches every member at the address the ConfigMap gives (gossip heartbeats). */
  @Test
  @Order(2)
  void everyPodSeesEveryMemberUpAtItsConfiguredAddress() {
    for (int i = 0; i < pods.size(); i++) {
      awaitAllUp(i, Duration.ofSeconds(20));
    }
  }

  @Test
  @Order(3)
  void aValuePutThroughOnePodIsReadThroughAnotherAndByTheKvToolInAThird() {
    try (KvClient kv0 = client(0, secrets.clientToken());
        KvClient kv1 = client(1, secrets.clientToken())) {
      kv0.put(b("greeting"), b("hello"), Context.EMPTY, new WriteOptions(3, 0));
      assertEquals(List.of("hello"),
          strings(kv1.get(b("greeting"), new ReadOptions(3, 0)).siblings()));
    }
    // The image's kv tool, with the env the StatefulSet gives (KV_NODES: its own pod's DNS
    // name, KV_TLS_CA: the mounted CA) and a token, as deploy/kubernetes/README.md uses it.
    ExecResult r = pods.get(2).exec(Map.of("KV_TOKEN", secrets.clientToken()), "kv", "get",
        "greeting");
    assertEquals(0, r.getExitCode(), r.getStdout() + r.getStderr());
    assertTrue(r.getStdout().contains("value: hello"), r.getStdout());
  }

  @Test
  @Order(4)
  void withoutATokenTheKvStorePortRefusesAndChangesNothing() {
    try (KvClient anonymous = client(0, null)) {
      KvException e = assertThrows(KvException.class,
          () -> anonymous.put(b("anonymous"), b("x"), Context.EMPTY));
      assertEquals(KvException.Code.UNAUTHENTICATED, e.code());
    }
    assertFalse(localVersions(0, b("anonymous")).getPresent());
  }

  @Test
  @Order(5)
  void aPodStoppedWithinItsGracePeriodComesBackOnItsClaimWithItsData() {
    try (KvClient kv0 = client(0, secrets.clientToken())) {
      kv0.put(b("durable"), b("before restart"), Context.EMPTY, new WriteOptions(3, 0));
    }
    PodContainer p = pods.get(1);
    long start = System.nanoTime();
    long exit = p.stop();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    String log = p.logs();
    assertEquals(143, exit, "the JVM must end on SIGTERM (128+15), not be killed; log:\n" + log);
    assertTrue(seconds < p.pod().graceSeconds(), "stopped in " + seconds + " s");
    assertTrue(log.contains("event=stopped node=" + p.pod().name()),
        "graceful shutdown (drain, flush) must be logged:\n" + log);

    p.close(); // the pod is gone; its claim's volume stays
    p.start();
    p.awaitReady(READY);
    // Its own storage, before anything else could repair it: the data came back from the volume.
    LocalVersionsResponse local = localVersions(1, b("durable"));
    assertTrue(local.getPresent(), "kv-1 lost its data across the restart");
    assertEquals("before restart", local.getSiblings(0).getValue().toStringUtf8());
    // Its peers find it again at its DNS name (a new container: a new address behind it).
    for (int i = 0; i < pods.size(); i++) {
      awaitAllUp(i, Duration.ofSeconds(30));
    }
    try (KvClient kv1 = client(1, secrets.clientToken());
        KvClient kv2 = client(2, secrets.clientToken())) {
      kv1.put(b("after"), b("restart"), Context.EMPTY, new WriteOptions(3, 0));
      assertEquals(List.of("restart"),
          strings(kv2.get(b("after"), new ReadOptions(3, 0)).siblings()));
    }
  }

  private static void awaitAllUp(int i, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    ClusterStatus last = null;
    try (KvClient c = client(i, secrets.clientToken())) {
      while (System.nanoTime() < end) {
        last = c.status();
        if (last.members().size() == pods.size() && last.members().stream()
            .allMatch(m -> m.status() == ClusterStatus.MemberStatus.UP)) {
          return;
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250));
      }
    }
    throw new AssertionError(pods.get(i).pod().name() + " does not see every member up within "
        + timeout + ": " + (last == null ? "no status" : last.members()) + "; log:\n"
        + pods.get(i).logs());
  }

  /**
   * A client of pod i over TLS with the cluster CA, verifying the certificate against the pod's
   * DNS name (the manifests' wildcard SAN), with {@code token} if not null.
   */
  private static KvClient client(int i, String token) {
    KvClient.Builder b = KvClient.builder().addresses(List.of(pods.get(i).address(grpcPort)))
        .timeout(Duration.ofSeconds(5)).tls(secrets.dir().resolve("ca.crt"))
        .tlsServerName(pods.get(i).pod().fqdn());
    return (token == null ? b : b.token(token)).build();
  }

  /** Pod i's raw local state of the key (Admin, with the operator token): no quorum, no repair. */
  private static LocalVersionsResponse localVersions(int i, byte[] key) {
    ManagedChannel ch;
    try {
      ch = Grpc.newChannelBuilder(pods.get(i).address(grpcPort), TlsChannelCredentials.newBuilder()
              .trustManager(secrets.dir().resolve("ca.crt").toFile()).build())
          .overrideAuthority(pods.get(i).pod().fqdn()).build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Metadata auth = new Metadata();
    auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + secrets.operatorToken());
    try {
      return AdminGrpc.newBlockingStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth))
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .getLocalVersions(LocalVersionsRequest.newBuilder().setKey(ByteString.copyFrom(key))
              .build());
    } finally {
      ch.shutdownNow();
    }
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> strings(List<byte[]> values) {
    return values.stream().map(v -> new String(v, StandardCharsets.UTF_8)).sorted().toList();
  }
}
