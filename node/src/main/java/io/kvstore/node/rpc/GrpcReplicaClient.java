package io.kvstore.node.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.kvstore.node.NodeError;
import io.kvstore.node.coord.ReplicaClient;
import io.kvstore.node.coord.WriteRequest;
import io.kvstore.node.coord.WriteResult;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.ReplicaGrpc;
import io.kvstore.proto.ReplicaReadRequest;
import io.kvstore.proto.ReplicaWriteRequest;
import io.kvstore.proto.WriteOptions;
import io.kvstore.ring.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * {@link ReplicaClient} over gRPC, on the node's {@link PeerChannels}, deadlines passed through.
 * Thread safe.
 */
public final class GrpcReplicaClient implements ReplicaClient {
  private static final long RETRY_WAIT_MILLIS = 500;
  private final NodeId self;
  private final Map<NodeId, String> addresses;
  private final PeerChannels channels;

  public GrpcReplicaClient(NodeId self, Map<NodeId, String> addresses, PeerChannels channels) {
    this.self = self;
    this.addresses = Map.copyOf(addresses);
    this.channels = channels;
  }

  private ReplicaGrpc.ReplicaFutureStub stub(NodeId target, Deadline deadline) {
    return stub(target, deadline, false);
  }

  /**
   * A stub for one call. A retry waits for the connection being re-established (a restarted peer
   * is back within milliseconds), but at most {@link #RETRY_WAIT_MILLIS}, so a peer that is really
   * down delays the answer only that much.
   */
  private ReplicaGrpc.ReplicaFutureStub stub(NodeId target, Deadline deadline, boolean retry) {
    ReplicaGrpc.ReplicaFutureStub stub = ReplicaGrpc.newFutureStub(channel(target));
    if (retry) {
      Deadline capped = channels.clock().deadlineAfter(RETRY_WAIT_MILLIS);
      return stub.withWaitForReady().withDeadline(deadline.isBefore(capped) ? deadline : capped);
    }
    return stub.withDeadline(deadline);
  }

  private ManagedChannel channel(NodeId target) {
    String address = addresses.get(target);
    if (address == null) {
      throw NodeError.internal("no address known for node " + target.id());
    }
    return channels.channel(address);
  }

  @Override
  public CompletableFuture<SiblingSet> write(NodeId target, byte[] key, SiblingSet state,
      Deadline deadline) {
    ReplicaWriteRequest req = ReplicaWriteRequest.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setSiblingSet(ByteString.copyFrom(state.encode()))
        .setCoordinatorNodeId(self.id())
        .build();
    return idempotent(target, retry -> stub(target, deadline, retry).replicaWrite(req),
        r -> SiblingSet.decode(r.getSiblingSet().toByteArray()));
  }

  /**
   * Hinted handoff's delivery of a hint to its owner: a replica write carrying the hint's
   * creation time, which the owner refuses past its hint window (proto hint_created_millis).
   */
  public CompletableFuture<SiblingSet> deliverHint(NodeId target, byte[] key, SiblingSet state,
      long createdMillis, Deadline deadline) {
    ReplicaWriteRequest req = ReplicaWriteRequest.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setSiblingSet(ByteString.copyFrom(state.encode()))
        .setCoordinatorNodeId(self.id())
        .setHintCreatedMillis(Math.max(1, createdMillis))
        .build();
    return idempotent(target, retry -> stub(target, deadline, retry).replicaWrite(req),
        r -> SiblingSet.decode(r.getSiblingSet().toByteArray()));
  }

  @Override
  public CompletableFuture<SiblingSet> hint(NodeId fallback, NodeId owner, byte[] key,
      SiblingSet state, Deadline deadline) {
    ReplicaWriteRequest req = ReplicaWriteRequest.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setSiblingSet(ByteString.copyFrom(state.encode()))
        .setCoordinatorNodeId(self.id())
        .setHintedFor(owner.id())
        .build();
    return idempotent(fallback, retry -> stub(fallback, deadline, retry).replicaWrite(req),
        r -> SiblingSet.decode(r.getSiblingSet().toByteArray()));
  }

  @Override
  public CompletableFuture<Optional<SiblingSet>> read(NodeId target, byte[] key,
      Deadline deadline) {
    ReplicaReadRequest req = ReplicaReadRequest.newBuilder().setKey(ByteString.copyFrom(key)).build();
    return idempotent(target, retry -> stub(target, deadline, retry).replicaRead(req),
        r -> r.getPresent()
            ? Optional.of(SiblingSet.decode(r.getSiblingSet().toByteArray()))
            : Optional.empty());
  }

  @Override
  public CompletableFuture<Digest> readDigest(NodeId target, byte[] key, Deadline deadline) {
    ReplicaReadRequest req = ReplicaReadRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setDigestOnly(true).build();
    return idempotent(target, retry -> stub(target, deadline, retry).replicaRead(req),
        r -> Digest.fromBytes(r.getDigest().toByteArray()));
  }

  @Override
  public CompletableFuture<WriteResult> forward(NodeId target, WriteRequest w, Deadline deadline) {
    WriteOptions options = WriteOptions.newBuilder().setW(w.w()).setPw(w.pw()).build();
    ByteString key = ByteString.copyFrom(w.key());
    ByteString ctx = ByteString.copyFrom(CausalContext.of(w.context()).encode());
    if (w.value().tombstone()) {
      DeleteRequest req = DeleteRequest.newBuilder()
          .setKey(key).setContext(ctx).setOptions(options).build();
      return call(target, () -> stub(target, deadline).coordinateDelete(req),
          r -> new WriteResult(new byte[0], r.getAcks(), r.getSloppyAcks()));
    }
    PutRequest req = PutRequest.newBuilder().setKey(key).setContext(ctx).setOptions(options)
        .setValue(ByteString.copyFrom(w.value().bytes())).build();
    return call(target, () -> stub(target, deadline).coordinatePut(req),
        r -> new WriteResult(r.getContext().toByteArray(), r.getAcks(), r.getSloppyAcks()));
  }

  /**
   * A call that is safe to repeat (a read, or a merge: sync is idempotent): if it fails in the
   * transport (never sent, or cut off), typically on a connection the peer's restart broke, it is
   * sent once more on a fresh connection attempt.
   */
  private <T, R> CompletableFuture<R> idempotent(NodeId target,
      Function<Boolean, ListenableFuture<T>> send, Function<T, R> convert) {
    return call(target, () -> send.apply(false), convert).handle((r, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(r);
      }
      if (e instanceof NodeError ne && ne.transport()) {
        channel(target).resetConnectBackoff();
        return call(target, () -> send.apply(true), convert);
      }
      return CompletableFuture.<R>failedFuture(e);
    }).thenCompose(f -> f);
  }

  private <T, R> CompletableFuture<R> call(NodeId target,
      java.util.function.Supplier<ListenableFuture<T>> send, Function<T, R> convert) {
    CompletableFuture<R> out = new CompletableFuture<>();
    ListenableFuture<T> f;
    // Started outside the inbound call's gRPC Context: that context is cancelled as soon as the
    // client's call completes, which would cancel the replica writes and hints still in flight
    // after W acks (each call carries its own deadline instead).
    Context previous = Context.ROOT.attach();
    try {
      f = send.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.fromPeer(target.id(), e));
    } finally {
      Context.ROOT.detach(previous);
    }
    ListenableFutures.toCompletable(f).whenComplete((result, t) -> {
      if (t != null) {
        out.completeExceptionally(Errors.fromPeer(target.id(), t));
        return;
      }
      try {
        out.complete(convert.apply(result));
      } catch (RuntimeException e) {
        out.completeExceptionally(NodeError.internal(
            "bad reply from " + target.id() + ": " + e.getMessage()));
      }
    });
    return out;
  }
}
