package io.kvstore.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import io.kvstore.node.store.ReplicaStore;
import io.kvstore.node.versioning.Actor;
import io.kvstore.node.versioning.Sibling;
import io.kvstore.node.versioning.SiblingSet;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.LocalSibling;
import io.kvstore.proto.LocalVersionsRequest;
import io.kvstore.proto.LocalVersionsResponse;
import io.kvstore.proto.NodeInfo;
import io.kvstore.proto.NodeInfoRequest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Operator and checker API (proto kvstore.v1.Admin). {@code GetLocalVersions} returns this
 * replica's raw state of a key: no quorum, no merge with other replicas, no repair. It is not a
 * read and lives on a separate service so that no client library maps it to one. Thread safe.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
  private final ReplicaStore store;
  private final RequestValidator validator;
  private final Calls calls;
  private final Supplier<NodeInfo> info;

  public AdminService(ReplicaStore store, RequestValidator validator, Calls calls,
      Supplier<NodeInfo> info) {
    this.store = store;
    this.validator = validator;
    this.calls = calls;
    this.info = info;
  }

  @Override
  public void getNodeInfo(NodeInfoRequest req, StreamObserver<NodeInfo> out) {
    calls.run(out, () -> CompletableFuture.completedFuture(info.get()));
  }

  @Override
  public void getLocalVersions(LocalVersionsRequest req, StreamObserver<LocalVersionsResponse> out) {
    calls.run(out, () -> {
      Optional<SiblingSet> s = store.read(validator.key(req.getKey()));
      LocalVersionsResponse.Builder b = LocalVersionsResponse.newBuilder().setPresent(s.isPresent());
      s.ifPresent(set -> {
        b.setSiblingSet(ByteString.copyFrom(set.encode()));
        for (Sibling sib : set.siblings()) {
          b.addSiblings(LocalSibling.newBuilder()
              .setValue(ByteString.copyFrom(sib.value().bytes()))
              .setTombstone(sib.tombstone())
              .setDot(actor(sib.dot().actor()) + ":" + sib.dot().counter()));
        }
        StringBuilder vc = new StringBuilder("{");
        for (Map.Entry<Actor, Long> e : set.context().entries().entrySet()) {
          vc.append(vc.length() > 1 ? ", " : "").append(actor(e.getKey())).append('=').append(e.getValue());
        }
        b.setVectorClock(vc.append('}').toString());
      });
      return CompletableFuture.completedFuture(b.build());
    });
  }

  private static String actor(Actor a) {
    return a.nodeId() + "." + a.incarnation();
  }
}
