package io.kvstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** NodeHealth over its real port: NOT_SERVING until serving(), NOT_SERVING for good on drain(). */
class NodeHealthTest {
  @Test
  void startsNotServingThenServesThenDrainsForGood() throws Exception {
    NodeHealth health = new NodeHealth(0);
    health.start();
    ManagedChannel ch = Grpc.newChannelBuilder("127.0.0.1:" + health.port(),
        InsecureChannelCredentials.create()).build();
    try {
      HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(ch);
      assertEquals(List.of(ServingStatus.NOT_SERVING), statuses(stub), "while starting");
      health.serving();
      assertEquals(List.of(ServingStatus.SERVING), statuses(stub));
      health.drain();
      health.serving(); // a late call cannot undo the drain
      assertEquals(List.of(ServingStatus.NOT_SERVING), statuses(stub), "draining");
    } finally {
      ch.shutdownNow();
      health.close();
    }
  }

  /** The distinct statuses of "" and every service. */
  private static List<ServingStatus> statuses(HealthGrpc.HealthBlockingStub stub) {
    List<String> names = new ArrayList<>(NodeHealth.SERVICES);
    names.add("");
    return names.stream().map(n -> stub.withDeadlineAfter(5, TimeUnit.SECONDS)
        .check(HealthCheckRequest.newBuilder().setService(n).build()).getStatus())
        .distinct().toList();
  }
}
