package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.grpc.stub.StreamObserver;
import io.kvstore.node.NodeError;
import io.kvstore.node.time.Clock;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.GetAnswer;
import io.kvstore.proto.MultiGetRequest;
import io.kvstore.proto.MultiGetResponse;
import io.kvstore.proto.MultiPutRequest;
import io.kvstore.proto.MultiPutResponse;
import io.kvstore.proto.PutAnswer;
import io.kvstore.node.coord.Coordinator;
import io.kvstore.node.versioning.CausalContext;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.Sibling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The client API (proto kvstore.v1.KvStore) over the coordinator: the unary methods, the Batch
 * stream ({@link BatchSession}) and MultiGet / MultiPut, which all run a request the same way.
 * Thread safe.
 */
public final class KvStoreService extends KvStoreGrpc.KvStoreImplBase {
  /** The most requests in one MultiGet or MultiPut. */
  static final int MAX_MULTI = 1000;

  private final Coordinator coordinator;
  private final RequestValidator validator;
  private final Calls calls;
  private final WriteHandler writes;
  private final Supplier<ClusterStatusResponse> status;
  private final RequestMetrics metrics;
  private final Clock clock;
  private final BatchSessions sessions;

  public KvStoreService(Coordinator coordinator, RequestValidator validator, Calls calls,
      Supplier<ClusterStatusResponse> status, RequestMetrics metrics, Clock clock,
      BatchSessions sessions) {
    this.sessions = sessions;
    this.coordinator = coordinator;
    this.validator = validator;
    this.calls = calls;
    this.writes = new WriteHandler(coordinator, validator);
    this.status = status;
    this.metrics = metrics;
    this.clock = clock;
  }

  WriteHandler writes() {
    return writes;
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    calls.run(out, () -> get(req, calls.deadline()));
  }

  /** A Get, validated and coordinated; fails with the error the unary method would send. */
  CompletableFuture<GetResponse> get(GetRequest req, Deadline deadline) {
    byte[] key = validator.key(req.getKey());
    int r = validator.quorum("r", req.getOptions().getR(), validator.r());
    int pr = validator.quorum("pr", req.getOptions().getPr(), 0);
    return coordinator.read(key, r, pr, deadline)
        .thenApply(res -> response(res.merged(), res.replies(), res.sloppyReplies()));
  }

  CompletableFuture<PutResponse> put(PutRequest req, Deadline deadline) {
    return writes.put(req, deadline, false);
  }

  CompletableFuture<DeleteResponse> delete(DeleteRequest req, Deadline deadline) {
    return writes.delete(req, deadline, false);
  }

  /** The full name of the unary method a batched request stands for (metrics). */
  static String methodOf(BatchedRequest r) {
    return switch (r.getRequestCase()) {
      case GET -> KvStoreGrpc.getGetMethod().getFullMethodName();
      case PUT -> KvStoreGrpc.getPutMethod().getFullMethodName();
      case DELETE -> KvStoreGrpc.getDeleteMethod().getFullMethodName();
      case REQUEST_NOT_SET -> KvStoreGrpc.getBatchMethod().getFullMethodName();
    };
  }

  @Override
  public StreamObserver<BatchRequest> batch(StreamObserver<BatchResponse> out) {
    return new BatchSession<>(batchWire, calls, metrics, clock, sessions, out);
  }

  /** The Batch stream's messages, each request served as its unary method. */
  private final BatchSession.Wire<BatchedRequest, BatchedResponse, BatchRequest, BatchResponse>
      batchWire = new BatchSession.Wire<>() {
        @Override
        public List<BatchedRequest> requests(BatchRequest m) {
          return m.getRequestsList();
        }

        @Override
        public List<Long> cancels(BatchRequest m) {
          return m.getCancelList();
        }

        @Override
        public long id(BatchedRequest r) {
          return r.getId();
        }

        @Override
        public long timeoutMicros(BatchedRequest r) {
          return r.getTimeoutMicros();
        }

        @Override
        public String method(BatchedRequest r) {
          return methodOf(r);
        }

        @Override
        public CompletableFuture<BatchedResponse> serve(BatchedRequest r, Deadline deadline) {
          var b = BatchedResponse.newBuilder().setId(r.getId());
          return switch (r.getRequestCase()) {
            case GET -> get(r.getGet(), deadline).thenApply(a -> b.setGet(a).build());
            case PUT -> put(r.getPut(), deadline).thenApply(a -> b.setPut(a).build());
            case DELETE -> delete(r.getDelete(), deadline).thenApply(a -> b.setDelete(a).build());
            case REQUEST_NOT_SET -> CompletableFuture.failedFuture(NodeError.invalid(
                "batched request " + r.getId() + " holds no get, put or delete"));
          };
        }

        @Override
        public BatchedResponse error(long id, RequestError error) {
          return BatchedResponse.newBuilder().setId(id).setError(error).build();
        }

        @Override
        public BatchResponse message(List<BatchedResponse> answers) {
          return BatchResponse.newBuilder().addAllResponses(answers).build();
        }
      };

  @Override
  public void multiGet(MultiGetRequest req, StreamObserver<MultiGetResponse> out) {
    calls.unadmitted(out, () -> {
      checkMulti("gets", req.getGetsCount());
      Deadline deadline = calls.deadline();
      return all(req.getGetsList(), g -> get(g, deadline),
          (a, e) -> e == null ? GetAnswer.newBuilder().setResponse(a).build()
              : GetAnswer.newBuilder().setError(BatchSession.error(e)).build())
          .thenApply(list -> MultiGetResponse.newBuilder().addAllResults(list).build());
    });
  }

  @Override
  public void multiPut(MultiPutRequest req, StreamObserver<MultiPutResponse> out) {
    calls.unadmitted(out, () -> {
      checkMulti("puts", req.getPutsCount());
      Deadline deadline = calls.deadline();
      return all(req.getPutsList(), p -> put(p, deadline),
          (a, e) -> e == null ? PutAnswer.newBuilder().setResponse(a).build()
              : PutAnswer.newBuilder().setError(BatchSession.error(e)).build())
          .thenApply(list -> MultiPutResponse.newBuilder().addAllResults(list).build());
    });
  }

  private static void checkMulti(String what, int count) {
    if (count < 1 || count > MAX_MULTI) {
      throw NodeError.invalid("a multi-key call needs 1 to " + MAX_MULTI + " " + what + ", got "
          + count);
    }
  }

  /**
   * Runs every request (each admitted on its own, as a unary call would be) and collects their
   * answers in request order, failures included.
   */
  private <Q, A, R> CompletableFuture<List<R>> all(List<Q> requests,
      Function<Q, CompletableFuture<A>> run, BiFunction<A, Throwable, R> answer) {
    List<CompletableFuture<R>> futures = new ArrayList<>(requests.size());
    for (Q q : requests) {
      futures.add(calls.admitted(() -> run.apply(q)).handle(answer));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(x -> futures.stream().map(CompletableFuture::join).toList());
  }

  static GetResponse response(SiblingSet merged, int replies, int sloppyReplies) {
    GetResponse.Builder b = GetResponse.newBuilder().setReplies(replies)
        .setSloppyReplies(sloppyReplies);
    for (byte[] v : merged.liveValues()) {
      b.addSiblings(Sibling.newBuilder().setValue(ByteString.copyFrom(v)));
    }
    b.setFound(b.getSiblingsCount() > 0);
    b.setDeleted(merged.isDeleted());
    if (!merged.isEmpty()) {
      b.setContext(ByteString.copyFrom(CausalContext.of(merged.context()).encode()));
    }
    return b.build();
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    calls.run(out, () -> put(req, calls.deadline()));
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    calls.run(out, () -> delete(req, calls.deadline()));
  }

  @Override
  public void getClusterStatus(ClusterStatusRequest req, StreamObserver<ClusterStatusResponse> out) {
    calls.run(out, () -> CompletableFuture.completedFuture(status.get()));
  }
}
