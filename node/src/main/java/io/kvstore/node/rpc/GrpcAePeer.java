package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.kvstore.antientropy.KeyHash;
import io.kvstore.node.antientropy.AePeer;
import io.kvstore.node.antientropy.Trees;
import io.kvstore.proto.AeHashes;
import io.kvstore.proto.AeKeyHash;
import io.kvstore.proto.AeKeyState;
import io.kvstore.proto.AeRequestRepairRequest;
import io.kvstore.proto.AeRootsRequest;
import io.kvstore.proto.AeRootsResponse;
import io.kvstore.proto.AeSegmentKeysRequest;
import io.kvstore.proto.AeShape;
import io.kvstore.proto.AeSyncRequest;
import io.kvstore.proto.AeTreeRequest;
import io.kvstore.proto.AntiEntropyGrpc;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One co-replica's {@link AePeer} over gRPC (proto kvstore.v1.AntiEntropy), blocking: exchanges
 * run on the anti-entropy thread. Each call has its own deadline and runs outside any inbound
 * call's Context. Failures are {@link io.kvstore.node.NodeError}s naming the peer. Thread safe.
 */
public final class GrpcAePeer implements AePeer {
  /**
   * Deadlines: hashes and key listings are small (a peer that does not answer them within 5 s is
   * paused or cut off, and the round moves on); a sync batch carries up to 4 MiB of states.
   */
  static final long CALL_MILLIS = 5_000;
  static final long SYNC_MILLIS = 30_000;

  private final NodeId self;
  private final NodeId peer;
  private final PeerChannels channels;
  private final String address;
  private final AeShape shape;

  public GrpcAePeer(NodeId self, NodeId peer, String address, PeerChannels channels,
      Trees trees) {
    this.self = self;
    this.peer = peer;
    this.address = address;
    this.channels = channels;
    this.shape = shape(trees);
  }

  static AeShape shape(Trees trees) {
    return AeShape.newBuilder().setPartitionCount(trees.partitionCount())
        .setSegments(trees.shape().segments()).setFanout(trees.shape().fanout()).build();
  }

  @Override
  public Roots roots(int[] partitions) {
    AeRootsRequest.Builder req = AeRootsRequest.newBuilder().setShape(shape)
        .setCallerNodeId(self.id());
    for (int p : partitions) {
      req.addPartitions(p);
    }
    AeRootsResponse r = call(() -> stub().roots(req.build()));
    if (r.getRootsCount() != partitions.length || r.getBuiltCount() != partitions.length) {
      throw Errors.fromPeer(peer.id(), new IllegalStateException("answered "
          + r.getRootsCount() + " roots for " + partitions.length + " partitions"));
    }
    boolean[] built = new boolean[partitions.length];
    for (int i = 0; i < built.length; i++) {
      built[i] = r.getBuilt(i);
    }
    return new Roots(r.getRootsList().stream().mapToLong(Long::longValue).toArray(), built);
  }

  @Override
  public long[] branches(int partition) {
    AeTreeRequest req = AeTreeRequest.newBuilder().setShape(shape).setPartition(partition).build();
    return hashes(call(() -> stub().branches(req)));
  }

  @Override
  public long[] leaves(int partition, int[] branches) {
    AeTreeRequest.Builder req = AeTreeRequest.newBuilder().setShape(shape).setPartition(partition);
    for (int b : branches) {
      req.addBranches(b);
    }
    return hashes(call(() -> stub().leaves(req.build())));
  }

  @Override
  public List<KeyHash> segmentKeys(int partition, int[] segments) {
    AeSegmentKeysRequest.Builder req = AeSegmentKeysRequest.newBuilder().setShape(shape)
        .setPartition(partition);
    for (int s : segments) {
      req.addSegments(s);
    }
    List<KeyHash> out = new ArrayList<>();
    for (AeKeyHash k : call(() -> stub().segmentKeys(req.build())).getKeysList()) {
      out.add(new KeyHash(k.getKey().toByteArray(), k.getHash()));
    }
    return out;
  }

  @Override
  public List<KeyState> sync(int partition, List<KeyState> states) {
    AeSyncRequest.Builder req = AeSyncRequest.newBuilder().setShape(shape)
        .setCallerNodeId(self.id()).setPartition(partition);
    for (KeyState s : states) {
      req.addStates(toProto(s));
    }
    List<KeyState> out = new ArrayList<>();
    for (AeKeyState s : call(() -> stub(SYNC_MILLIS).sync(req.build())).getStatesList()) {
      out.add(fromProto(s));
    }
    return out;
  }

  /** AntiEntropy.RequestRepair: asks the peer to exchange all its partitions soon. */
  public void requestRepair(String reason) {
    AeRequestRepairRequest req = AeRequestRepairRequest.newBuilder().setCallerNodeId(self.id())
        .setReason(reason).build();
    call(() -> stub().requestRepair(req));
  }

  static AeKeyState toProto(KeyState s) {
    AeKeyState.Builder b = AeKeyState.newBuilder().setKey(ByteString.copyFrom(s.key()));
    if (s.siblings() != null) {
      b.setSiblingSet(ByteString.copyFrom(s.siblings()));
    }
    return b.build();
  }

  static KeyState fromProto(AeKeyState s) {
    return new KeyState(s.getKey().toByteArray(),
        s.getSiblingSet().isEmpty() ? null : s.getSiblingSet().toByteArray());
  }

  private static long[] hashes(AeHashes h) {
    return h.getHashesList().stream().mapToLong(Long::longValue).toArray();
  }

  private AntiEntropyGrpc.AntiEntropyBlockingStub stub() {
    return stub(CALL_MILLIS);
  }

  private AntiEntropyGrpc.AntiEntropyBlockingStub stub(long millis) {
    return AntiEntropyGrpc.newBlockingStub(channels.channel(address))
        .withDeadline(channels.clock().deadlineAfter(millis));
  }

  private <T> T call(Supplier<T> send) {
    Context previous = Context.ROOT.attach();
    try {
      return send.get();
    } catch (RuntimeException e) {
      throw Errors.fromPeer(peer.id(), e);
    } finally {
      Context.ROOT.detach(previous);
    }
  }
}
