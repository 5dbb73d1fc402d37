package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The client API (proto kvstore.v1.KvStore) over the coordinator. Thread safe. */
public final class KvStoreService extends KvStoreGrpc.KvStoreImplBase {
  private final Coordinator coordinator;
  private final RequestValidator validator;
  private final Calls calls;
  private final WriteHandler writes;
  private final Supplier<ClusterStatusResponse> status;

  public KvStoreService(Coordinator coordinator, RequestValidator validator, Calls calls,
      Supplier<ClusterStatusResponse> status) {
    this.coordinator = coordinator;
    this.validator = validator;
    this.calls = calls;
    this.writes = new WriteHandler(coordinator, validator, calls);
    this.status = status;
  }

  WriteHandler writes() {
    return writes;
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    calls.run(out, () -> {
      byte[] key = validator.key(req.getKey());
      int r = validator.quorum("r", req.getOptions().getR(), validator.r());
      int pr = validator.quorum("pr", req.getOptions().getPr(), 0);
      return coordinator.read(key, r, pr, calls.deadline())
          .thenApply(res -> response(res.merged(), res.replies())
              .toBuilder().setSloppyReplies(res.sloppyReplies()).build());
    });
  }

  static GetResponse response(SiblingSet merged, int replies) {
    GetResponse.Builder b = GetResponse.newBuilder().setReplies(replies);
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
    calls.run(out, () -> writes.put(req, false));
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    calls.run(out, () -> writes.delete(req, false));
  }

  @Override
  public void getClusterStatus(ClusterStatusRequest req, StreamObserver<ClusterStatusResponse> out) {
    calls.run(out, () -> CompletableFuture.completedFuture(status.get()));
  }
}
