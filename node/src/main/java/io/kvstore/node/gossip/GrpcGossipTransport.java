package io.kvstore.node.gossip;

import com.google.common.util.concurrent.ListenableFuture;
import io.kvstore.gossip.GossipMessage;
import io.kvstore.node.rpc.ListenableFutures;
import io.kvstore.node.rpc.PeerChannels;
import io.kvstore.proto.GossipRequest;
import io.kvstore.proto.ReplicaGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** {@link GossipTransport} over the Replica service's Ping and Gossip RPCs. Thread safe. */
public final class GrpcGossipTransport implements GossipTransport {
  private final PeerChannels channels;

  public GrpcGossipTransport(PeerChannels channels) {
    this.channels = channels;
  }

  @Override
  public CompletableFuture<GossipMessage> send(String address, GossipMessage request,
      long timeoutMillis) {
    ReplicaGrpc.ReplicaFutureStub stub = ReplicaGrpc.newFutureStub(channels.channel(address))
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
    return switch (request) {
      case GossipMessage.Ping p -> adapt(stub.ping(GossipCodec.ping(p)), GossipCodec::ack);
      case GossipMessage.Syn s -> adapt(
          stub.gossip(GossipRequest.newBuilder().addAllEndpoints(GossipCodec.endpoints(s.view()))
              .build()),
          r -> new GossipMessage.SynAck(GossipCodec.view(r.getEndpointsList())));
      default -> CompletableFuture.failedFuture(
          new IllegalArgumentException("not a request: " + request));
    };
  }

  private static <T> CompletableFuture<GossipMessage> adapt(ListenableFuture<T> f,
      Function<T, GossipMessage> convert) {
    return ListenableFutures.toCompletable(f).thenApply(convert);
  }
}
