package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.bytes;
import static io.kvstore.node.ReplicatedStoreTest.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.kvstore.node.rpc.GrpcReplicaClient;
import io.kvstore.node.rpc.PeerChannels;
import io.kvstore.node.time.Clock;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.proto.ReplicaGrpc;
import io.kvstore.proto.ReplicaReadRequest;
import io.kvstore.proto.ReplicaReadResponse;
import io.kvstore.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Digest reads over real gRPC (replica.proto ReplicaRead): a request without digest_only is
 * answered as before digests existed, one with it by the digest of that same answer. (A Get whose
 * digests differ, over gRPC: ReplicatedStoreTest's read repair test.)
 */
class DigestReadOverGrpcTest {
  @TempDir Path root;

  private static ReplicaReadResponse raw(TestCluster c, PeerChannels channels, int i, byte[] key,
      boolean digestOnly) {
    return ReplicaGrpc.newBlockingStub(channels.channel("127.0.0.1:" + c.node(i).port()))
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .replicaRead(ReplicaReadRequest.newBuilder().setKey(ByteString.copyFrom(key))
            .setDigestOnly(digestOnly).build());
  }

  @Test
  void aReadWithoutTheDigestFlagIsAnsweredAsBeforeAndWithItByTheDigestOfThatAnswer()
      throws Exception {
    try (TestCluster c = new TestCluster(root, 3);
        PeerChannels channels = new PeerChannels(Clock.system(), io.grpc.InsecureChannelCredentials.create())) {
      byte[] key = bytes("digested");
      put(c, 0, key, "v", ByteString.EMPTY, 3);
      ReplicaReadResponse old = raw(c, channels, 1, key, false);
      assertTrue(old.getPresent());
      assertTrue(old.getDigest().isEmpty(), "an old request gets no digest");
      SiblingSet full = SiblingSet.decode(old.getSiblingSet().toByteArray());
      assertEquals(List.of("v"), full.liveValues().stream()
          .map(b -> new String(b, StandardCharsets.UTF_8)).toList());

      ReplicaReadResponse digest = raw(c, channels, 1, key, true);
      assertTrue(digest.getPresent());
      assertTrue(digest.getSiblingSet().isEmpty(), "a digest read carries no sibling set");
      assertEquals(Digest.of(full), Digest.fromBytes(digest.getDigest().toByteArray()));

      var timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
      GrpcReplicaClient client = new GrpcReplicaClient(NodeId.of("test"),
          Map.of(NodeId.of("n2"), "127.0.0.1:" + c.node(1).port()), channels, timer,
          Runnable::run);
      Deadline soon = Deadline.after(5, TimeUnit.SECONDS);
      assertEquals(Digest.of(full), client.readDigest(NodeId.of("n2"), key, soon).join());
      byte[] absent = bytes("never-written");
      assertFalse(raw(c, channels, 1, absent, true).getPresent());
      assertEquals(Digest.of(SiblingSet.EMPTY),
          client.readDigest(NodeId.of("n2"), absent, soon).join());
      client.close();
      timer.shutdownNow();
    }
  }
}
