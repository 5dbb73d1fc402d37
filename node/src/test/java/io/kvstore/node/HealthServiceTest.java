package io.kvstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The health port: each service reports SERVING once the node runs, NOT_SERVING once it drains. */
class HealthServiceTest {
  @TempDir Path dir;

  @Test
  void everyServiceTurnsNotServingWhenTheNodeStartsDraining() throws Exception {
    try (TestCluster cluster = new TestCluster(dir, 1, "cluster.n=1", "cluster.r=1",
        "cluster.w=1", "health_port=0")) {
      ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + cluster.node(0).healthPort(),
          InsecureChannelCredentials.create()).build();
      try {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(ch);
        Iterator<HealthCheckResponse> kv = health.withDeadlineAfter(30, TimeUnit.SECONDS)
            .watch(HealthCheckRequest.newBuilder().setService("kvstore.v1.KvStore").build());
        Iterator<HealthCheckResponse> whole = health.withDeadlineAfter(30, TimeUnit.SECONDS)
            .watch(HealthCheckRequest.newBuilder().setService("").build());
        assertEquals(ServingStatus.SERVING, kv.next().getStatus());
        assertEquals(ServingStatus.SERVING, whole.next().getStatus());
        Thread closer = Thread.ofPlatform().start(() -> cluster.stop(0));
        // The watchers hear it before the node has finished closing (the health port closes last).
        assertEquals(ServingStatus.NOT_SERVING, kv.next().getStatus());
        assertEquals(ServingStatus.NOT_SERVING, whole.next().getStatus());
        closer.join(30_000);
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
