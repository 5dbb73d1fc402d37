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
import io.kvstore.node.NodeError;
import io.kvstore.node.antientropy.AntiEntropy;
import io.kvstore.proto.RepairProgress;
import io.kvstore.proto.RepairRequest;
import io.kvstore.ring.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Operator and checker API (proto kvstore.v1.Admin). {@code GetLocalVersions} returns this
 * replica's raw state of a key: no quorum, no merge with other replicas, no repair. It is not a
 * read and lives on a separate service so that no client library maps it to one. {@code Repair}
 * runs anti-entropy now and streams its progress. Thread safe.
 */
public final class AdminService extends AdminGrpc.AdminImplBase {
  private final ReplicaStore store;
  private final RequestValidator validator;
  private final Calls calls;
  private final Supplier<NodeInfo> info;
  private final AntiEntropy antiEntropy;
  private final int partitionCount;
  private final Set<NodeId> members;

  public AdminService(ReplicaStore store, RequestValidator validator, Calls calls,
      Supplier<NodeInfo> info, AntiEntropy antiEntropy, int partitionCount, Set<NodeId> members) {
    this.store = store;
    this.validator = validator;
    this.calls = calls;
    this.info = info;
    this.antiEntropy = antiEntropy;
    this.partitionCount = partitionCount;
    this.members = Set.copyOf(members);
  }

  @Override
  public void repair(RepairRequest req, StreamObserver<RepairProgress> out) {
    List<AntiEntropy.Pair> plan;
    List<Integer> notHere = new ArrayList<>();
    NodeId peer = null;
    try {
      for (int p : req.getPartitionsList()) {
        if (p < 0 || p >= partitionCount) {
          throw NodeError.invalid("partition " + p + " outside 0.." + (partitionCount - 1));
        }
      }
      if (!req.getPeerNodeId().isEmpty()) {
        peer = new NodeId(req.getPeerNodeId());
        if (!members.contains(peer)) {
          throw NodeError.invalid("node " + peer.id() + " is not a member of the cluster");
        }
      }
      plan = antiEntropy.plan(req.getPartitionsList(), peer);
      for (int p : new TreeSet<>(req.getPartitionsList())) {
        if (plan.stream().noneMatch(x -> x.partition() == p)) {
          notHere.add(p);
        }
      }
    } catch (RuntimeException e) {
      out.onError(Errors.toStatus(e));
      return;
    }
    RepairStream stream = new RepairStream(out, plan.size() + notHere.size());
    for (int p : notHere) {
      stream.exchanged(p, peer, null, "this node does not replicate partition " + p
          + (peer == null ? "" : " with " + peer.id()), 0);
    }
    antiEntropy.repair(plan, stream).whenComplete((v, e) -> stream.finish(e));
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
