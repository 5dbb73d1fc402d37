package io.kvstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.kvstore.node.config.ConfigException;
import io.kvstore.node.config.ConfigLoader;
import io.kvstore.node.security.TestPki;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.AeRootsRequest;
import io.kvstore.proto.AntiEntropyGrpc;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import io.kvstore.proto.NodeInfoRequest;
import io.kvstore.proto.PingRequest;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.ReadOptions;
import io.kvstore.proto.RepairRequest;
import io.kvstore.proto.ReplicaGrpc;
import io.kvstore.proto.ReplicaWriteRequest;
import io.kvstore.proto.WriteOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security over real sockets: a three-node TLS cluster with a tokens file. Node-to-node services
 * take only a certificate of the cluster CA (the replication of every write proves the nodes
 * present theirs); callers without one are refused UNAUTHENTICATED or PERMISSION_DENIED and
 * change nothing; certificates of another CA or expired ones fail the handshake; clients need a
 * valid token, the raw-state RPC an operator's.
 */
class NodeSecurityTest {
  private static final String CLIENT_TOKEN = "kvt_client_0123456789";
  private static final String OPERATOR_TOKEN = "kvt_operator_9876543210";

  @TempDir static Path dir;
  private static TestPki ca;
  private static TestPki otherCa;
  private static TestPki.Issued nodeCert;
  private static TestCluster cluster;
  private static final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeAll
  static void startTlsCluster() throws Exception {
    ca = TestPki.ca(dir, "cluster");
    otherCa = TestPki.ca(dir, "other");
    nodeCert = ca.issue("node");
    Path tokens = dir.resolve("tokens");
    Files.writeString(tokens, "# name role hash\n"
        + "app client sha256:" + sha256(CLIENT_TOKEN) + "\n"
        + "ops operator sha256:" + sha256(OPERATOR_TOKEN) + "\n");
    cluster = new TestCluster(dir.resolve("data"), 3, tlsSettings(nodeCert, tokens, "health_port=0",
        "metrics_port=0")
        .toArray(String[]::new));
  }

  @AfterAll
  static void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<String> tlsSettings(TestPki.Issued cert, Path tokens, String... more) {
    List<String> s = new ArrayList<>(List.of("tls.cert=" + cert.cert(), "tls.key=" + cert.key(),
        "tls.ca=" + ca.caFile(), "auth.tokens_file=" + tokens));
    s.addAll(List.of(more));
    return s;
  }

  private static String sha256(String token) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(token.getBytes(StandardCharsets.UTF_8)));
  }

  /** A channel to node {@code i} with {@code credentials}, by the name its certificate carries. */
  private static ManagedChannel channel(int i, ChannelCredentials credentials) {
    ManagedChannel ch = Grpc.newChannelBuilder("localhost:" + cluster.node(i).port(), credentials)
        .build();
    channels.add(ch);
    return ch;
  }

  /** TLS trusting the cluster CA, no client certificate. */
  private static ManagedChannel tls(int i) {
    return channel(i, trusting(ca));
  }

  private static ChannelCredentials trusting(TestPki authority) {
    try {
      return TlsChannelCredentials.newBuilder().trustManager(file(authority.caFile())).build();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Mutual TLS with {@code cert} as client certificate. */
  private static ManagedChannel mtls(int i, TestPki.Issued cert) throws IOException {
    return channel(i, TlsChannelCredentials.newBuilder().trustManager(file(ca.caFile()))
        .keyManager(file(cert.cert()), file(cert.key())).build());
  }

  private static java.io.File file(Path p) {
    return p.toFile();
  }

  private static <S extends AbstractStub<S>> S withToken(S stub, String token) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), token);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  private static KvStoreGrpc.KvStoreBlockingStub client(int i) {
    return withToken(KvStoreGrpc.newBlockingStub(tls(i)), "Bearer " + CLIENT_TOKEN);
  }

  private static AdminGrpc.AdminBlockingStub operator(int i) {
    return withToken(AdminGrpc.newBlockingStub(tls(i)), "Bearer " + OPERATOR_TOKEN);
  }

  private static ByteString key(String k) {
    return ByteString.copyFromUtf8(k);
  }

  private static Status.Code codeOf(Runnable call) {
    return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
  }

  /** Whether no node holds any version of {@code k} (read raw, as an operator). */
  private static boolean nowhere(String k) {
    for (int i = 0; i < cluster.size(); i++) {
      if (operator(i).getLocalVersions(LocalVersionsRequest.newBuilder().setKey(key(k)).build())
          .getPresent()) {
        return false;
      }
    }
    return true;
  }

  @Test
  void writesReplicateOverMutualTlsAndReadBackWithAToken() {
    client(0).put(PutRequest.newBuilder().setKey(key("tls-k")).setValue(key("v1"))
        .setOptions(WriteOptions.newBuilder().setW(3)).build());
    GetResponse got = client(2).get(GetRequest.newBuilder().setKey(key("tls-k"))
        .setOptions(ReadOptions.newBuilder().setR(3)).build());
    assertTrue(got.getFound());
    assertEquals("v1", got.getSiblings(0).getValue().toStringUtf8());
    for (int i = 0; i < 3; i++) {
      assertTrue(operator(i).getLocalVersions(LocalVersionsRequest.newBuilder()
          .setKey(key("tls-k")).build()).getPresent(), "replica n" + (i + 1));
    }
  }

  @Test
  void nodeToNodeServicesTakeOnlyACertificateOfTheClusterCa() throws Exception {
    client(0).put(PutRequest.newBuilder().setKey(key("model")).setValue(key("x")).build());
    ByteString state = operator(0).getLocalVersions(LocalVersionsRequest.newBuilder()
        .setKey(key("model")).build()).getSiblingSet();
    Function<String, ReplicaWriteRequest> write = k -> ReplicaWriteRequest.newBuilder()
        .setKey(key(k)).setSiblingSet(state).setCoordinatorNodeId("n1").build();

    // No client certificate: UNAUTHENTICATED, with or without a token.
    ReplicaGrpc.ReplicaBlockingStub anonymous = ReplicaGrpc.newBlockingStub(tls(1))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> anonymous.replicaWrite(write.apply("forged"))));
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> anonymous.ping(
        PingRequest.newBuilder().setFromNodeId("n9").build())));
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> AntiEntropyGrpc.newBlockingStub(tls(1))
        .withDeadlineAfter(5, TimeUnit.SECONDS).roots(AeRootsRequest.getDefaultInstance())));
    // A client's or an operator's token is no node certificate: PERMISSION_DENIED.
    for (String token : List.of(CLIENT_TOKEN, OPERATOR_TOKEN)) {
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withToken(
          ReplicaGrpc.newBlockingStub(tls(1)), "Bearer " + token).replicaWrite(write.apply("forged")));
      assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("cluster CA"), e.getMessage());
    }
    // A certificate of another CA is not even sent (the node asks for the cluster CA's: no client
    // certificate, UNAUTHENTICATED); an expired one of the cluster CA fails the handshake.
    TestPki.Issued foreign = otherCa.issue("intruder");
    TestPki.Issued expired = ca.issue("old-node", Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1)));
    for (TestPki.Issued bad : List.of(foreign, expired)) {
      ReplicaGrpc.ReplicaBlockingStub stub = ReplicaGrpc.newBlockingStub(mtls(1, bad))
          .withDeadlineAfter(5, TimeUnit.SECONDS);
      assertEquals(bad == foreign ? Status.Code.UNAUTHENTICATED : Status.Code.UNAVAILABLE,
          codeOf(() -> stub.replicaWrite(write.apply("forged"))), bad.cert().toString());
    }
    assertTrue(nowhere("forged"), "a refused replica write changed a replica");

    // Positive control: the same request with a node certificate is merged.
    ReplicaGrpc.newBlockingStub(mtls(1, ca.issue("another-node")))
        .withDeadlineAfter(5, TimeUnit.SECONDS).replicaWrite(write.apply("accepted"));
    assertTrue(operator(1).getLocalVersions(LocalVersionsRequest.newBuilder()
        .setKey(key("accepted")).build()).getPresent());
    assertTrue(authFailures(1, "not_a_node") >= 2, "refusals counted");
  }

  @Test
  void clientsNeedAValidTokenAndRawStateAnOperator() {
    PutRequest put = PutRequest.newBuilder().setKey(key("guarded")).setValue(key("v")).build();
    KvStoreGrpc.KvStoreBlockingStub none = KvStoreGrpc.newBlockingStub(tls(0))
        .withDeadlineAfter(5, TimeUnit.SECONDS);
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> none.put(put)));
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> withToken(
        KvStoreGrpc.newBlockingStub(tls(0)), "Bearer kvt_not_a_token").put(put)));
    assertEquals(Status.Code.UNAUTHENTICATED, codeOf(() -> withToken(
        KvStoreGrpc.newBlockingStub(tls(0)), "Basic " + CLIENT_TOKEN).put(put)));
    assertTrue(nowhere("guarded"), "a refused put was stored");
    assertTrue(authFailures(0, "invalid_token") >= 1);
    assertTrue(authFailures(0, "missing_credentials") >= 1);
    assertTrue(authFailures(0, "malformed_authorization") >= 1);
    assertFalse(cluster.node(0).metrics().scrape().contains(CLIENT_TOKEN), "the metrics hold a secret");

    // A client reads node info but not raw replica state, nor starts a repair.
    AdminGrpc.AdminBlockingStub clientAdmin = withToken(AdminGrpc.newBlockingStub(tls(0)),
        "Bearer " + CLIENT_TOKEN);
    clientAdmin.getNodeInfo(NodeInfoRequest.getDefaultInstance());
    assertEquals(Status.Code.PERMISSION_DENIED, codeOf(() -> clientAdmin.getLocalVersions(
        LocalVersionsRequest.newBuilder().setKey(key("guarded")).build())));
    assertEquals(Status.Code.PERMISSION_DENIED, codeOf(() -> clientAdmin.repair(
        RepairRequest.getDefaultInstance()).hasNext()));
    LocalVersionsResponse raw = operator(0).getLocalVersions(
        LocalVersionsRequest.newBuilder().setKey(key("guarded")).build());
    assertFalse(raw.getPresent());
  }

  @Test
  void aPlaintextClientIsRefusedAtTheConnection() {
    KvStoreGrpc.KvStoreBlockingStub plain = KvStoreGrpc.newBlockingStub(
        channel(0, InsecureChannelCredentials.create())).withDeadlineAfter(5, TimeUnit.SECONDS);
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> plain.get(GetRequest.newBuilder().setKey(key("k")).build()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
  }

  @Test
  void aClientTrustingAnotherCaRefusesTheNode() {
    ManagedChannel ch = channel(0, trusting(otherCa));
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> withToken(
        KvStoreGrpc.newBlockingStub(ch), "Bearer " + CLIENT_TOKEN)
        .get(GetRequest.newBuilder().setKey(key("k")).build()));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
  }

  @Test
  void healthReportsEveryServiceOnThePlaintextHealthPort() {
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + cluster.node(2).healthPort(),
        InsecureChannelCredentials.create()).build();
    channels.add(ch);
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch)
        .withDeadlineAfter(5, TimeUnit.SECONDS);
    for (String service : List.of("", "kvstore.v1.KvStore", "kvstore.v1.Replica",
        "kvstore.v1.AntiEntropy", "kvstore.v1.Admin")) {
      assertEquals(ServingStatus.SERVING, health.check(HealthCheckRequest.newBuilder()
          .setService(service).build()).getStatus(), service);
    }
    assertEquals(Status.Code.NOT_FOUND, codeOf(() -> health.check(
        HealthCheckRequest.newBuilder().setService("kvstore.v1.Nope").build())));
    // The health port serves nothing else.
    assertEquals(Status.Code.UNIMPLEMENTED, codeOf(() -> KvStoreGrpc.newBlockingStub(ch)
        .withDeadlineAfter(5, TimeUnit.SECONDS).get(GetRequest.newBuilder().setKey(key("k"))
            .build())));
  }

  @Test
  void metricsAreServedOverHttpsToTokenHolders() throws Exception {
    java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    try (var in = Files.newInputStream(ca.caFile())) {
      trusted.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509")
          .generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trusted);
    javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
    java.net.URI uri = java.net.URI.create("https://localhost:" + cluster.node(1).metricsPort()
        + "/metrics");
    java.net.http.HttpResponse.BodyHandler<String> body =
        java.net.http.HttpResponse.BodyHandlers.ofString();
    double before = authFailures(1, "missing_credentials");
    assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(uri).build(), body)
        .statusCode());
    assertEquals(401, http.send(java.net.http.HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer kvt_not_a_token").build(), body).statusCode());
    var ok = http.send(java.net.http.HttpRequest.newBuilder(uri)
        .header("Authorization", "Bearer " + CLIENT_TOKEN).build(), body);
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains("kv_auth_failures_total"), ok.body());
    assertTrue(authFailures(1, "missing_credentials") > before);
    // Plain HTTP gets no metrics from the HTTPS port.
    java.net.URI plain = java.net.URI.create("http://localhost:" + cluster.node(1).metricsPort()
        + "/metrics");
    assertThrows(IOException.class, () -> java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(plain).header("Authorization", "Bearer "
            + CLIENT_TOKEN).timeout(Duration.ofSeconds(5)).build(), body));
  }

  @Test
  void aNodeWithBadCredentialsDoesNotStartAndSaysWhy(@TempDir Path data) throws Exception {
    TestPki.Issued expired = ca.issue("expired", Instant.now().minus(Duration.ofDays(10)),
        Instant.now().minus(Duration.ofDays(1)));
    TestPki.Issued foreign = otherCa.issue("foreign");
    Path tokens = dir.resolve("tokens");
    assertTrue(startFails(data, tlsSettings(expired, tokens)).contains("expired on"));
    assertTrue(startFails(data, tlsSettings(foreign, tokens)).contains("not signed by the cluster CA"));
    Path badTokens = data.resolve("bad-tokens");
    Files.writeString(badTokens, "app admin sha256:" + "0".repeat(64) + "\n");
    String msg = startFails(data, tlsSettings(nodeCert, badTokens));
    assertTrue(msg.contains("bad-tokens:1") && msg.contains("role must be client or operator"), msg);
    List<String> missingKey = tlsSettings(nodeCert, tokens);
    missingKey.set(1, "tls.key=" + data.resolve("nope.key"));
    assertTrue(startFails(data, missingKey).contains("does not exist"));
  }

  /** Node i's kv_auth_failures_total for {@code reason}. */
  private static double authFailures(int i, String reason) {
    String prefix = "kv_auth_failures_total{";
    return cluster.node(i).metrics().scrape().lines()
        .filter(l -> l.startsWith(prefix) && l.contains("reason=\"" + reason + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no series for " + reason));
  }

  private static String startFails(Path data, List<String> settings) throws IOException {
    List<String> all = new ArrayList<>(List.of("node_id=n1", "data_dir=" + data,
        "cluster.members=n1@127.0.0.1:1", "cluster.n=1"));
    all.addAll(settings);
    ConfigException e = assertThrows(ConfigException.class,
        () -> Node.start(ConfigLoader.load(null, all)).close());
    return e.getMessage();
  }
}
