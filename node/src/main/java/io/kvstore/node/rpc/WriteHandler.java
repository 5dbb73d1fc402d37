package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.Deadline;
import io.kvstore.node.coord.Coordinator;
import io.kvstore.node.versioning.Value;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import java.util.concurrent.CompletableFuture;

/** Put and Delete, shared by the client service and the forwarding RPCs. Thread safe. */
final class WriteHandler {
  private final Coordinator coordinator;
  private final RequestValidator validator;

  WriteHandler(Coordinator coordinator, RequestValidator validator) {
    this.coordinator = coordinator;
    this.validator = validator;
  }

  CompletableFuture<PutResponse> put(PutRequest req, Deadline deadline, boolean forwarded) {
    var w = validator.write(req.getKey(), Value.of(req.getValue().toByteArray()),
        req.getContext(), req.getOptions(), false);
    return coordinator.write(w, deadline, forwarded)
        .thenApply(r -> PutResponse.newBuilder()
            .setContext(ByteString.copyFrom(r.context()))
            .setAcks(r.acks())
            .setSloppyAcks(r.sloppyAcks())
            .build());
  }

  CompletableFuture<DeleteResponse> delete(DeleteRequest req, Deadline deadline,
      boolean forwarded) {
    var w = validator.write(req.getKey(), Value.TOMBSTONE, req.getContext(), req.getOptions(), true);
    return coordinator.write(w, deadline, forwarded)
        .thenApply(r -> DeleteResponse.newBuilder().setAcks(r.acks())
            .setSloppyAcks(r.sloppyAcks()).build());
  }
}
