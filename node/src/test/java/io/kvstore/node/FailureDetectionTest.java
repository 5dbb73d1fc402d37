package io.kvstore.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.Member;
import io.kvstore.proto.MemberStatus;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure detection end to end, in process over real gRPC with the default detector settings
 * (DESIGN.md section 5): a crashed node is convicted by every peer within seconds and routed
 * around, so requests it would have held until their deadline answer at once; it is seen up
 * again after a restart; a graceful stop is seen at once.
 */
class FailureDetectionTest {
  @TempDir Path root;

  @Test
  void aCrashedReplicaIsConvictedWithinSecondsAndRequestsStopWaitingForIt() throws Exception {
    try (TestCluster c = new TestCluster(root, 3)) {
      c.awaitMember(0, "n3", MemberStatus.MEMBER_STATUS_UP, 10_000);
      // A few heartbeats first: with no samples the detector assumes a wider deviation.
      Thread.sleep(5_000);
      long crashed = System.nanoTime();
      c.crash(2);
      long seenByN1 = c.awaitMember(0, "n3", MemberStatus.MEMBER_STATUS_DOWN, 15_000);
      long seenByN2 = c.awaitMember(1, "n3", MemberStatus.MEMBER_STATUS_DOWN, 15_000);
      long ms = TimeUnit.NANOSECONDS.toMillis(Math.max(seenByN1, seenByN2) - crashed);
      System.out.println("crashed n3 convicted by n1 and n2 after " + ms + " ms");
      String metrics = c.node(0).metrics().scrape();
      assertTrue(metrics.contains("kv_peer_up{node=\"n1\",peer=\"n3\"} 0.0"), metrics);
      assertTrue(metrics.contains("kv_gossip_convictions_total{node=\"n1\"} 1.0"), metrics);
      assertTrue(metrics.contains("kv_peer_phi{node=\"n1\",peer=\"n2\"}"), metrics);
      assertTrue(ms < 10_000, "conviction took " + ms + " ms");

      // W=3 cannot be met: UNAVAILABLE at once, naming the down replica, not after the deadline.
      byte[] key = "k".getBytes(StandardCharsets.UTF_8);
      long start = System.nanoTime();
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.kv(0).put(
          put(key, "v", 3)));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("down per the failure detector: [n3]"),
          e.getStatus().getDescription());
      assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(1000));
      assertEquals("1", e.getTrailers().get(io.grpc.Metadata.Key.of("kv-not-applied",
          io.grpc.Metadata.ASCII_STRING_MARSHALLER)), "refused before writing: safe to retry");
      // R=W=2 through the two live replicas.
      for (int i = 0; i < 20; i++) {
        byte[] k = ("key-" + i).getBytes(StandardCharsets.UTF_8);
        c.kv(i % 2).put(put(k, "v" + i, 2));
        assertEquals("v" + i, c.kv((i + 1) % 2).get(GetRequest.newBuilder()
            .setKey(ByteString.copyFrom(k)).build()).getSiblings(0).getValue().toStringUtf8());
      }

      c.start(2);
      c.awaitMember(0, "n3", MemberStatus.MEMBER_STATUS_UP, 10_000);
      c.awaitMember(1, "n3", MemberStatus.MEMBER_STATUS_UP, 10_000);
      Member n3 = c.member(0, "n3");
      assertEquals(c.node(2).actor().incarnation(), n3.getIncarnation(),
          "the restart's generation reached n1: " + n3);
      assertEquals(1, n3.getConvictions(), n3.toString());
      c.kv(0).put(put(key, "v", 3));
    }
  }

  @Test
  void aGracefulStopIsSeenAtOnceWithoutWaitingForTheDetector() throws Exception {
    try (TestCluster c = new TestCluster(root, 3)) {
      c.awaitMember(0, "n2", MemberStatus.MEMBER_STATUS_UP, 10_000);
      long stopped = System.nanoTime();
      c.stop(1);
      long seen = c.awaitMember(0, "n2", MemberStatus.MEMBER_STATUS_DOWN, 5_000);
      long ms = TimeUnit.NANOSECONDS.toMillis(seen - stopped);
      assertTrue(ms < 1_500, "graceful stop seen after " + ms + " ms");
      assertEquals(0, c.member(0, "n2").getConvictions(), "an announced stop is no conviction");
    }
  }

  private static PutRequest put(byte[] key, String value, int w) {
    return PutRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setValue(ByteString.copyFromUtf8(value))
        .setOptions(WriteOptions.newBuilder().setW(w)).build();
  }
}
