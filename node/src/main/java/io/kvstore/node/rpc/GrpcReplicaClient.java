package io.kvstore.node.rpc;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.ConnectivityState;
import io.grpc.Deadline;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.node.NodeError;
import io.kvstore.node.cluster.PeerHealth;
import io.kvstore.node.coord.ReplicaClient;
import io.kvstore.node.coord.WriteRequest;
import io.kvstore.node.coord.WriteResult;
import io.kvstore.node.versioning.CausalContext;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link ReplicaClient} over gRPC: one channel per peer, created on first use, deadlines passed
 * through. Records each call's outcome in {@link PeerHealth}. Thread safe.
 */
public final class GrpcReplicaClient implements ReplicaClient, AutoCloseable {
  private final NodeId self;
  private final Map<NodeId, String> addresses;
  private final PeerHealth health;
  private static final long RESET_INTERVAL_NANOS = 200_000_000L;
  private static final long RETRY_WAIT_MILLIS = 500;
  /**
   * Keepalive pings on peer connections (gRPC's minimum interval). With epoll, gRPC also sets
   * TCP_USER_TIMEOUT to the ping timeout, so a connection whose packets are dropped (a partition)
   * is closed within seconds instead of lingering in TCP's retransmission back-off, which after a
   * heal kept a peer unreachable for about as long again as the partition had lasted; a fresh
   * connection is made once the network is back. Servers permit pings this often.
   */
  public static final long KEEPALIVE_SECONDS = 10;
  static final long KEEPALIVE_TIMEOUT_SECONDS = 2;

  private final Map<NodeId, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final Map<NodeId, Long> lastReset = new ConcurrentHashMap<>();

  public GrpcReplicaClient(NodeId self, Map<NodeId, String> addresses, PeerHealth health) {
    this.self = self;
    this.addresses = Map.copyOf(addresses);
    this.health = health;
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
    if (retry) {
      Deadline capped = Deadline.after(RETRY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      return ReplicaGrpc.newFutureStub(channel(target)).withWaitForReady()
          .withDeadline(deadline.isBefore(capped) ? deadline : capped);
    }
    ManagedChannel ch = channel(target);
    if (ch.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      long now = System.nanoTime();
      Long last = lastReset.get(target);
      if (last == null || now - last > RESET_INTERVAL_NANOS) {
        // gRPC backs off reconnecting for up to two minutes; a restarted peer must be used again
        // at once, so probe it again (at most every 200 ms per peer).
        lastReset.put(target, now);
        ch.resetConnectBackoff();
      }
    }
    return ReplicaGrpc.newFutureStub(ch).withDeadline(deadline);
  }

  private ManagedChannel channel(NodeId target) {
    return channels.computeIfAbsent(target, t -> {
      String address = addresses.get(t);
      if (address == null) {
        throw NodeError.internal("no address known for node " + t.id());
      }
      return Grpc.newChannelBuilder(address, InsecureChannelCredentials.create())
          .maxInboundMessageSize(64 << 20)
          .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
          .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .keepAliveWithoutCalls(true)
          .build();
    });
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
  public CompletableFuture<WriteResult> forward(NodeId target, WriteRequest w, Deadline deadline) {
    WriteOptions options = WriteOptions.newBuilder().setW(w.w()).setPw(w.pw()).build();
    ByteString key = ByteString.copyFrom(w.key());
    ByteString ctx = ByteString.copyFrom(CausalContext.of(w.context()).encode());
    if (w.value().tombstone()) {
      DeleteRequest req = DeleteRequest.newBuilder()
          .setKey(key).setContext(ctx).setOptions(options).build();
      return call(target, () -> stub(target, deadline).coordinateDelete(req),
          r -> new WriteResult(new byte[0], r.getAcks()));
    }
    PutRequest req = PutRequest.newBuilder().setKey(key).setContext(ctx).setOptions(options)
        .setValue(ByteString.copyFrom(w.value().bytes())).build();
    return call(target, () -> stub(target, deadline).coordinatePut(req),
        r -> new WriteResult(r.getContext().toByteArray(), r.getAcks()));
  }

  /**
   * A call that is safe to repeat (a read, or a merge: sync is idempotent): if it fails without
   * reaching the peer, typically on a connection the peer's restart broke, it is sent once more
   * on a fresh connection attempt.
   */
  private <T, R> CompletableFuture<R> idempotent(NodeId target,
      Function<Boolean, ListenableFuture<T>> send, Function<T, R> convert) {
    return call(target, () -> send.apply(false), convert).handle((r, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(r);
      }
      if (e instanceof NodeError ne && ne.unreachable()) {
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
    try {
      f = send.get();
    } catch (RuntimeException e) {
      out.completeExceptionally(Errors.fromPeer(target.id(), e));
      return out;
    }
    Futures.addCallback(f, new FutureCallback<T>() {
      @Override
      public void onSuccess(T result) {
        health.succeeded(target);
        try {
          out.complete(convert.apply(result));
        } catch (RuntimeException e) {
          out.completeExceptionally(NodeError.internal(
              "bad reply from " + target.id() + ": " + e.getMessage()));
        }
      }

      @Override
      public void onFailure(Throwable t) {
        NodeError e = Errors.fromPeer(target.id(), t);
        if (e.unreachable()) {
          health.failed(target);
        } else {
          health.succeeded(target);
        }
        out.completeExceptionally(e);
      }
    }, MoreExecutors.directExecutor());
    return out;
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels.values()) {
      ch.shutdownNow();
    }
    for (ManagedChannel ch : channels.values()) {
      try {
        ch.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
