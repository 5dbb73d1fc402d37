package io.kvstore.clustertests.suite;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.clustertests.harness.ContainerCluster;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.LocalSibling;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads replicas' raw local state (Admin.GetLocalVersions: no quorum, no repair) and records
 * each read in the history as a RAW_READ, over one channel per node kept for the reader's life
 * (a poll reads hundreds of keys; a channel per call would cost a connection each). Thread safe
 * (gRPC channels are).
 */
final class RawReader implements AutoCloseable {
  private static final long DEADLINE_MILLIS = 5_000;
  private final ContainerCluster cluster;
  private final History history;
  private final ManagedChannel[] channels;

  RawReader(ContainerCluster cluster, History history) {
    this.cluster = cluster;
    this.history = history;
    this.channels = new ManagedChannel[cluster.size()];
  }

  private synchronized ManagedChannel channel(int node) {
    if (channels[node] == null) {
      channels[node] = Grpc.newChannelBuilder(cluster.address(node),
          InsecureChannelCredentials.create()).build();
    }
    return channels[node];
  }

  /** Reads {@code key} on {@code node}; returns its siblings, or null if the read failed. */
  List<RawSibling> read(String key, int node) {
    int process = history.newProcess();
    Op inv = history.invoke(process, Op.F.RAW_READ, key, null, ContainerCluster.nodeId(node));
    try {
      LocalVersionsResponse r = AdminGrpc.newBlockingStub(channel(node))
          .withDeadlineAfter(DEADLINE_MILLIS, TimeUnit.MILLISECONDS)
          .getLocalVersions(LocalVersionsRequest.newBuilder()
              .setKey(ByteString.copyFrom(ClientOps.bytes(key))).build());
      List<RawSibling> raw = new ArrayList<>();
      List<String> live = new ArrayList<>();
      for (LocalSibling s : r.getSiblingsList()) {
        String value = s.getValue().toString(StandardCharsets.UTF_8);
        raw.add(new RawSibling(s.getDot(), value, s.getTombstone()));
        if (!s.getTombstone()) {
          live.add(value);
        }
      }
      history.ok(inv, Completion.NONE.withValues(live).withRaw(raw, r.getVectorClock()));
      return raw;
    } catch (RuntimeException e) {
      history.fail(inv, e.toString());
      return null;
    }
  }

  @Override
  public synchronized void close() {
    for (int i = 0; i < channels.length; i++) {
      if (channels[i] != null) {
        channels[i].shutdownNow();
        channels[i] = null;
      }
    }
  }
}
