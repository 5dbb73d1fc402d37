package io.kvstore.node.rpc;

import io.grpc.stub.StreamObserver;
import io.kvstore.antientropy.KeyHash;
import io.kvstore.node.NodeError;
import io.kvstore.node.antientropy.AeHandler;
import io.kvstore.node.antientropy.AePeer;
import io.kvstore.node.antientropy.AntiEntropy;
import io.kvstore.node.antientropy.Trees;
import io.kvstore.proto.AeHashes;
import io.kvstore.proto.AeKeyHash;
import io.kvstore.proto.AeKeyState;
import io.kvstore.proto.AeRequestRepairRequest;
import io.kvstore.proto.AeRequestRepairResponse;
import io.kvstore.proto.AeRootsRequest;
import io.kvstore.proto.AeRootsResponse;
import io.kvstore.proto.AeSegmentKeysRequest;
import io.kvstore.proto.AeSegmentKeysResponse;
import io.kvstore.proto.AeShape;
import io.kvstore.proto.AeSyncRequest;
import io.kvstore.proto.AeSyncResponse;
import io.kvstore.proto.AeTreeRequest;
import io.kvstore.proto.AntiEntropyGrpc;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The anti-entropy API (proto kvstore.v1.AntiEntropy): a thin layer over {@link AeHandler} that
 * checks the caller's tree shape and converts messages. Admitted like any call (bounded in
 * flight). Thread safe.
 */
public final class AntiEntropyService extends AntiEntropyGrpc.AntiEntropyImplBase {
  private final AeHandler handler;
  private final AntiEntropy antiEntropy;
  private final Calls calls;
  private final AeShape shape;

  public AntiEntropyService(AeHandler handler, AntiEntropy antiEntropy, Trees trees, Calls calls) {
    this.handler = handler;
    this.antiEntropy = antiEntropy;
    this.calls = calls;
    this.shape = GrpcAePeer.shape(trees);
  }

  @Override
  public void roots(AeRootsRequest req, StreamObserver<AeRootsResponse> out) {
    answer(out, req.getShape(), () -> {
      AePeer.Roots r = handler.roots(ints(req.getPartitionsList()));
      AeRootsResponse.Builder b = AeRootsResponse.newBuilder();
      for (int i = 0; i < r.roots().length; i++) {
        b.addRoots(r.roots()[i]).addBuilt(r.built()[i]);
      }
      return b.build();
    });
  }

  @Override
  public void branches(AeTreeRequest req, StreamObserver<AeHashes> out) {
    answer(out, req.getShape(), () -> hashes(handler.branches(req.getPartition())));
  }

  @Override
  public void leaves(AeTreeRequest req, StreamObserver<AeHashes> out) {
    answer(out, req.getShape(),
        () -> hashes(handler.leaves(req.getPartition(), ints(req.getBranchesList()))));
  }

  @Override
  public void segmentKeys(AeSegmentKeysRequest req, StreamObserver<AeSegmentKeysResponse> out) {
    answer(out, req.getShape(), () -> {
      AeSegmentKeysResponse.Builder b = AeSegmentKeysResponse.newBuilder();
      for (KeyHash k : handler.segmentKeys(req.getPartition(), ints(req.getSegmentsList()))) {
        b.addKeys(AeKeyHash.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFrom(k.key())).setHash(k.hash()));
      }
      return b.build();
    });
  }

  @Override
  public void sync(AeSyncRequest req, StreamObserver<AeSyncResponse> out) {
    answer(out, req.getShape(), () -> {
      List<AePeer.KeyState> states = new ArrayList<>(req.getStatesCount());
      for (AeKeyState s : req.getStatesList()) {
        if (s.getKey().isEmpty()) {
          throw NodeError.invalid("empty key in anti-entropy sync");
        }
        states.add(GrpcAePeer.fromProto(s));
      }
      AeSyncResponse.Builder b = AeSyncResponse.newBuilder();
      handler.sync(req.getPartition(), states).forEach(s -> b.addStates(GrpcAePeer.toProto(s)));
      return b.build();
    });
  }

  @Override
  public void requestRepair(AeRequestRepairRequest req,
      StreamObserver<AeRequestRepairResponse> out) {
    calls.run(out, () -> {
      antiEntropy.requestRepair(new NodeId(req.getCallerNodeId()), req.getReason());
      return CompletableFuture.completedFuture(AeRequestRepairResponse.getDefaultInstance());
    });
  }

  private <T> void answer(StreamObserver<T> out, AeShape theirs, Supplier<T> body) {
    calls.run(out, () -> {
      if (!theirs.equals(shape)) {
        throw NodeError.failedPrecondition("anti-entropy tree shape differs: caller has "
            + describe(theirs) + ", this node " + describe(shape));
      }
      return CompletableFuture.completedFuture(body.get());
    });
  }

  private static String describe(AeShape s) {
    return s.getPartitionCount() + " partitions x " + s.getSegments() + " segments (fanout "
        + s.getFanout() + ")";
  }

  private static AeHashes hashes(long[] h) {
    AeHashes.Builder b = AeHashes.newBuilder();
    for (long x : h) {
      b.addHashes(x);
    }
    return b.build();
  }

  private static int[] ints(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).toArray();
  }
}
