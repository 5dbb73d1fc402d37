package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.kvstore.gossip.GossipMessage;
import io.kvstore.gossip.MembershipView;
import io.kvstore.node.NodeError;
import io.kvstore.node.gossip.GossipCodec;
import io.kvstore.node.gossip.GossipDriver;
import io.kvstore.node.hints.Fallback;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.Digest;
import io.kvstore.node.versioning.MalformedVersionException;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.ring.NodeId;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.GossipRequest;
import io.kvstore.proto.GossipResponse;
import io.kvstore.proto.PingRequest;
import io.kvstore.proto.PingResponse;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.ReplicaBatchRequest;
import io.kvstore.proto.ReplicaBatchResponse;
import io.kvstore.proto.ReplicaBatchedRequest;
import io.kvstore.proto.ReplicaBatchedResponse;
import io.kvstore.proto.ReplicaGrpc;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.ReplicaReadRequest;
import io.kvstore.proto.ReplicaReadResponse;
import io.kvstore.proto.ReplicaWriteRequest;
import io.kvstore.proto.ReplicaWriteResponse;
import io.kvstore.node.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** The node-to-node API (proto kvstore.v1.Replica). Thread safe. */
public final class ReplicaService extends ReplicaGrpc.ReplicaImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaService.class);
  private final ReplicaStore store;
  private final RequestValidator validator;
  private final Calls calls;
  private final WriteHandler writes;
  private final GossipDriver gossip;
  private final Fallback fallback;
  private final NodeId self;
  private final Clock clock;
  private final long hintWindowMillis;
  private final RequestMetrics metrics;
  private final Executor syncExecutor;
  private final BatchSessions sessions;

  public ReplicaService(NodeId self, ReplicaStore store, Fallback fallback,
      RequestValidator validator, Calls calls, KvStoreService clientService, GossipDriver gossip,
      Clock clock, long hintWindowMillis, RequestMetrics metrics, Executor syncExecutor,
      BatchSessions sessions) {
    this.sessions = sessions;
    this.metrics = metrics;
    this.syncExecutor = syncExecutor;
    this.self = self;
    this.clock = clock;
    this.hintWindowMillis = hintWindowMillis;
    this.store = store;
    this.fallback = fallback;
    this.validator = validator;
    this.calls = calls;
    this.writes = clientService.writes();
    this.gossip = gossip;
  }

  @Override
  public void ping(PingRequest req, StreamObserver<PingResponse> out) {
    calls.unadmitted(out, () -> gossip.onRequest(GossipCodec.ping(req))
        .thenApply(r -> GossipCodec.ack((GossipMessage.PingAck) r)));
  }

  @Override
  public void gossip(GossipRequest req, StreamObserver<GossipResponse> out) {
    calls.unadmitted(out, () -> {
      MembershipView view;
      try {
        view = GossipCodec.view(req.getEndpointsList());
      } catch (IllegalArgumentException e) {
        throw NodeError.invalid("malformed gossip: " + e.getMessage());
      }
      return gossip.onRequest(new GossipMessage.Syn(view)).thenApply(r -> GossipResponse
          .newBuilder().addAllEndpoints(GossipCodec.endpoints(((GossipMessage.SynAck) r).view()))
          .build());
    });
  }

  @Override
  public void replicaRead(ReplicaReadRequest req, StreamObserver<ReplicaReadResponse> out) {
    calls.run(out, () -> read(req));
  }

  private CompletableFuture<ReplicaReadResponse> read(ReplicaReadRequest req) {
    {
      byte[] key = validator.key(req.getKey());
      Optional<SiblingSet> s = merge(store.read(key), fallback.read(key));
      ReplicaReadResponse.Builder b = ReplicaReadResponse.newBuilder().setPresent(s.isPresent());
      if (req.getDigestOnly()) {
        b.setDigest(ByteString.copyFrom(Digest.of(s.orElse(SiblingSet.EMPTY)).toBytes()));
      } else {
        s.ifPresent(v -> b.setSiblingSet(ByteString.copyFrom(v.encode())));
      }
      return CompletableFuture.completedFuture(b.build());
    }
  }

  @Override
  public void replicaWrite(ReplicaWriteRequest req, StreamObserver<ReplicaWriteResponse> out) {
    calls.run(out, () -> write(req));
  }

  private CompletableFuture<ReplicaWriteResponse> write(ReplicaWriteRequest req) {
    {
      byte[] key = validator.key(req.getKey());
      SiblingSet incoming;
      try {
        incoming = SiblingSet.decode(req.getSiblingSet().toByteArray());
      } catch (MalformedVersionException e) {
        throw NodeError.invalid("malformed sibling set from " + req.getCoordinatorNodeId()
            + ": " + e.getMessage());
      }
      String owner = req.getHintedFor();
      long created = req.getHintCreatedMillis();
      if (created > 0 && clock.currentTimeMillis() - created > hintWindowMillis) {
        // A hint older than the window may hold values a since-purged tombstone superseded.
        LOG.warn("event=late_hint_refused node={} from={} age_ms={} window_ms={}", self.id(),
            req.getCoordinatorNodeId(), clock.currentTimeMillis() - created, hintWindowMillis);
        return CompletableFuture.completedFuture(ReplicaWriteResponse.newBuilder()
            .setSiblingSet(ByteString.copyFrom(SiblingSet.EMPTY.encode())).build());
      }
      CompletableFuture<SiblingSet> merged = owner.isEmpty() || owner.equals(self.id())
          ? durably(store.mergeUnsynced(key, incoming))
          : fallback.accept(new NodeId(owner), key, incoming,
              new NodeId(req.getCoordinatorNodeId()));
      return merged.thenApply(m -> ReplicaWriteResponse.newBuilder()
          .setSiblingSet(ByteString.copyFrom(m.encode())).build());
    }
  }

  /**
   * {@code merged} once the store synced it: on the sync executor when that fsyncs (so neither
   * this thread nor a batch stream's next requests wait for it, and concurrent writes share the
   * fsync), else at once.
   */
  private CompletableFuture<SiblingSet> durably(SiblingSet merged) {
    if (!store.syncBlocks()) {
      store.sync();
      return CompletableFuture.completedFuture(merged);
    }
    return CompletableFuture.supplyAsync(() -> {
      store.sync();
      return merged;
    }, syncExecutor);
  }

  /** This node's replica merged with the hints it holds for the key as a fallback. */
  private static Optional<SiblingSet> merge(Optional<SiblingSet> local,
      Optional<SiblingSet> hinted) {
    if (hinted.isEmpty()) {
      return local;
    }
    return Optional.of(local.map(l -> SiblingSet.sync(l, hinted.get())).orElse(hinted.get()));
  }

  @Override
  public void coordinatePut(PutRequest req, StreamObserver<PutResponse> out) {
    calls.run(out, () -> writes.put(req, calls.deadline(), true));
  }

  @Override
  public void coordinateDelete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    calls.run(out, () -> writes.delete(req, calls.deadline(), true));
  }

  @Override
  public StreamObserver<ReplicaBatchRequest> replicaBatch(
      StreamObserver<ReplicaBatchResponse> out) {
    return new BatchSession<>(batchWire, calls, metrics, clock, sessions, out);
  }

  /** The ReplicaBatch stream's messages, each request served as its unary method. */
  private final BatchSession.Wire<ReplicaBatchedRequest, ReplicaBatchedResponse,
      ReplicaBatchRequest, ReplicaBatchResponse> batchWire = new BatchSession.Wire<>() {
        @Override
        public List<ReplicaBatchedRequest> requests(ReplicaBatchRequest m) {
          return m.getRequestsList();
        }

        @Override
        public List<Long> cancels(ReplicaBatchRequest m) {
          return m.getCancelList();
        }

        @Override
        public long id(ReplicaBatchedRequest r) {
          return r.getId();
        }

        @Override
        public long timeoutMicros(ReplicaBatchedRequest r) {
          return r.getTimeoutMicros();
        }

        @Override
        public String method(ReplicaBatchedRequest r) {
          return switch (r.getRequestCase()) {
            case READ -> ReplicaGrpc.getReplicaReadMethod().getFullMethodName();
            case WRITE -> ReplicaGrpc.getReplicaWriteMethod().getFullMethodName();
            case COORDINATE_PUT -> ReplicaGrpc.getCoordinatePutMethod().getFullMethodName();
            case COORDINATE_DELETE -> ReplicaGrpc.getCoordinateDeleteMethod().getFullMethodName();
            case REQUEST_NOT_SET -> ReplicaGrpc.getReplicaBatchMethod().getFullMethodName();
          };
        }

        @Override
        public CompletableFuture<ReplicaBatchedResponse> serve(ReplicaBatchedRequest r,
            Deadline deadline) {
          var b = ReplicaBatchedResponse.newBuilder().setId(r.getId());
          return switch (r.getRequestCase()) {
            case READ -> read(r.getRead()).thenApply(a -> b.setRead(a).build());
            case WRITE -> write(r.getWrite()).thenApply(a -> b.setWrite(a).build());
            case COORDINATE_PUT -> writes.put(r.getCoordinatePut(), deadline, true)
                .thenApply(a -> b.setCoordinatePut(a).build());
            case COORDINATE_DELETE -> writes.delete(r.getCoordinateDelete(), deadline, true)
                .thenApply(a -> b.setCoordinateDelete(a).build());
            case REQUEST_NOT_SET -> CompletableFuture.failedFuture(NodeError.invalid(
                "batched replica request " + r.getId() + " holds no request"));
          };
        }

        @Override
        public ReplicaBatchedResponse error(long id, RequestError error) {
          return ReplicaBatchedResponse.newBuilder().setId(id).setError(error).build();
        }

        @Override
        public ReplicaBatchResponse message(List<ReplicaBatchedResponse> answers) {
          return ReplicaBatchResponse.newBuilder().addAllResponses(answers).build();
        }
      };
}
