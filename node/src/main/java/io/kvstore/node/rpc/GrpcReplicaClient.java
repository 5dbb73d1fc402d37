package io.kvstore.node.rpc;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientResponseObserver;
import io.kvstore.node.NodeError;
import io.kvstore.node.coord.ReplicaClient;
import io.kvstore.node.coord.WriteRequest;
import io.kvstore.node.coord.WriteResult;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.ReplicaBatchRequest;
import io.kvstore.proto.ReplicaBatchResponse;
import io.kvstore.proto.ReplicaBatchedRequest;
import io.kvstore.proto.ReplicaBatchedResponse;
import io.kvstore.proto.ReplicaGrpc;
import io.kvstore.proto.ReplicaReadResponse;
import io.kvstore.proto.stream.StreamMux;
import io.kvstore.proto.ReplicaReadRequest;
import io.kvstore.proto.ReplicaWriteRequest;
import io.kvstore.proto.WriteOptions;
import io.kvstore.ring.NodeId;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link ReplicaClient} over gRPC, on the node's {@link PeerChannels}, deadlines passed through.
 * Requests to a peer travel its {@code ReplicaBatch} stream ({@link StreamMux}: one stream per
 * peer, requests ready together in one message); the retry of an idempotent request after a
 * transport failure is a unary call that waits briefly for the connection. Thread safe.
 */
public final class GrpcReplicaClient implements ReplicaClient {
  private static final long RETRY_WAIT_MILLIS = 500;
  private static final int MAX_BATCH = 128;
  private final NodeId self;
  private final Map<NodeId, String> addresses;
  private final PeerChannels channels;
  private final ScheduledExecutorService timer;
  private final Executor sender;
  private final Map<NodeId, StreamMux<ReplicaBatchedRequest, ReplicaBatchedResponse,
      ReplicaBatchRequest, ReplicaBatchResponse>> streams = new ConcurrentHashMap<>();

  /**
   * @param timer enforces the deadlines of requests on the streams
   * @param sender writes stream messages while other requests to the peer are in flight
   */
  public GrpcReplicaClient(NodeId self, Map<NodeId, String> addresses, PeerChannels channels,
      ScheduledExecutorService timer, Executor sender) {
    this.self = self;
    this.addresses = Map.copyOf(addresses);
    this.channels = channels;
    this.timer = timer;
    this.sender = sender;
  }

  /**
   * Sends {@code request} on the peer's stream; the answer, or the failure as a {@link NodeError}
   * exactly as the unary call's would be (Errors.fromPeer).
   */
  private <R> CompletableFuture<R> batched(NodeId target, ReplicaBatchedRequest request,
      Deadline deadline, Function<ReplicaBatchedResponse, R> convert) {
    long nanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    if (nanos <= 0) {
      return CompletableFuture.failedFuture(NodeError.deadline(target.id()
          + ": deadline exceeded before the request was sent"));
    }
    CompletableFuture<R> out = new CompletableFuture<>();
    StreamMux<ReplicaBatchedRequest, ReplicaBatchedResponse, ReplicaBatchRequest,
        ReplicaBatchResponse> mux;
    try {
      mux = streams.computeIfAbsent(target, t -> new StreamMux<>(
          new ReplicaWire(ReplicaGrpc.newStub(channel(t))), timer, sender, MAX_BATCH));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(Errors.fromPeer(target.id(), e));
    }
    mux.send(request, nanos, new StreamMux.Callback<>() {
      @Override
      public void answered(ReplicaBatchedResponse a) {
        if (a.hasError()) {
          out.completeExceptionally(Errors.fromPeer(target.id(), Errors.fromAnswer(a.getError())));
          return;
        }
        try {
          out.complete(convert.apply(a));
        } catch (RuntimeException e) {
          out.completeExceptionally(NodeError.internal(
              "bad reply from " + target.id() + ": " + e.getMessage()));
        }
      }

      @Override
      public void failed(Status status) {
        out.completeExceptionally(Errors.fromPeer(target.id(), status.asRuntimeException()));
      }
    });
    return out;
  }

  /** Ends the streams to the peers (the node is closing). */
  public void close() {
    streams.values().forEach(StreamMux::close);
  }

  /** The ReplicaBatch stream's messages. */
  private record ReplicaWire(ReplicaGrpc.ReplicaStub stub) implements StreamMux.Wire<
      ReplicaBatchedRequest, ReplicaBatchedResponse, ReplicaBatchRequest, ReplicaBatchResponse> {
    @Override
    public void open(ClientResponseObserver<ReplicaBatchRequest, ReplicaBatchResponse> in) {
      // Answers are handled on the transport thread that read them (completing the coordinator's
      // futures does not block), as the serving side does (InlineCalls).
      stub.withExecutor(MoreExecutors.directExecutor()).replicaBatch(in);
    }

    @Override
    public ReplicaBatchedRequest stamp(ReplicaBatchedRequest r, long id, long timeoutMicros) {
      return r.toBuilder().setId(id).setTimeoutMicros(timeoutMicros).build();
    }

    @Override
    public ReplicaBatchRequest message(List<ReplicaBatchedRequest> requests, List<Long> cancels) {
      return ReplicaBatchRequest.newBuilder().addAllRequests(requests).addAllCancel(cancels)
          .build();
    }

    @Override
    public List<ReplicaBatchedResponse> answers(ReplicaBatchResponse message) {
      return message.getResponsesList();
    }

    @Override
    public long id(ReplicaBatchedResponse answer) {
      return answer.getId();
    }
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
    return idempotentWrite(target, req, deadline);
  }

  /** A replica write on the stream, retried once as a unary call after a transport failure. */
  private CompletableFuture<SiblingSet> idempotentWrite(NodeId target, ReplicaWriteRequest req,
      Deadline deadline) {
    return idempotent(target,
        () -> batched(target, ReplicaBatchedRequest.newBuilder().setWrite(req).build(), deadline,
            a -> SiblingSet.decode(a.getWrite().getSiblingSet().toByteArray())),
        () -> call(target, () -> stub(target, deadline, true).replicaWrite(req),
            r -> SiblingSet.decode(r.getSiblingSet().toByteArray())));
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
    return idempotentWrite(target, req, deadline);
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
    return idempotentWrite(fallback, req, deadline);
  }

  @Override
  public CompletableFuture<Optional<SiblingSet>> read(NodeId target, byte[] key,
      Deadline deadline) {
    return replicaRead(target, ReplicaReadRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .build(), deadline, r -> r.getPresent()
            ? Optional.of(SiblingSet.decode(r.getSiblingSet().toByteArray()))
            : Optional.empty());
  }

  @Override
  public CompletableFuture<Digest> readDigest(NodeId target, byte[] key, Deadline deadline) {
    return replicaRead(target, ReplicaReadRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setDigestOnly(true).build(), deadline, r -> Digest.fromBytes(r.getDigest().toByteArray()));
  }

  /** A replica read on the stream, retried once as a unary call after a transport failure. */
  private <R> CompletableFuture<R> replicaRead(NodeId target, ReplicaReadRequest req,
      Deadline deadline, Function<ReplicaReadResponse, R> convert) {
    return idempotent(target,
        () -> batched(target, ReplicaBatchedRequest.newBuilder().setRead(req).build(), deadline,
            a -> convert.apply(a.getRead())),
        () -> call(target, () -> stub(target, deadline, true).replicaRead(req), convert));
  }

  @Override
  public CompletableFuture<WriteResult> forward(NodeId target, WriteRequest w, Deadline deadline) {
    WriteOptions options = WriteOptions.newBuilder().setW(w.w()).setPw(w.pw()).build();
    ByteString key = ByteString.copyFrom(w.key());
    ByteString ctx = ByteString.copyFrom(CausalContext.of(w.context()).encode());
    if (w.value().tombstone()) {
      DeleteRequest req = DeleteRequest.newBuilder()
          .setKey(key).setContext(ctx).setOptions(options).build();
      return batched(target, ReplicaBatchedRequest.newBuilder().setCoordinateDelete(req).build(),
          deadline, a -> new WriteResult(new byte[0], a.getCoordinateDelete().getAcks(),
              a.getCoordinateDelete().getSloppyAcks()));
    }
    PutRequest req = PutRequest.newBuilder().setKey(key).setContext(ctx).setOptions(options)
        .setValue(ByteString.copyFrom(w.value().bytes())).build();
    return batched(target, ReplicaBatchedRequest.newBuilder().setCoordinatePut(req).build(),
        deadline, a -> new WriteResult(a.getCoordinatePut().getContext().toByteArray(),
            a.getCoordinatePut().getAcks(), a.getCoordinatePut().getSloppyAcks()));
  }

  /**
   * A call that is safe to repeat (a read, or a merge: sync is idempotent): if it fails in the
   * transport (never sent, or cut off), typically on a connection the peer's restart broke, it is
   * sent once more on a fresh connection attempt.
   */
  private <R> CompletableFuture<R> idempotent(NodeId target,
      Supplier<CompletableFuture<R>> first, Supplier<CompletableFuture<R>> retry) {
    return first.get().handle((r, e) -> {
      if (e == null) {
        return CompletableFuture.completedFuture(r);
      }
      Throwable cause = e instanceof CompletionException && e.getCause() != null
          ? e.getCause() : e;
      if (cause instanceof NodeError ne && ne.transport()) {
        channel(target).resetConnectBackoff();
        return retry.get();
      }
      return CompletableFuture.<R>failedFuture(cause);
    }).thenCompose(f -> f);
  }

  private <T, R> CompletableFuture<R> call(NodeId target,
      Supplier<ListenableFuture<T>> send, Function<T, R> convert) {
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
