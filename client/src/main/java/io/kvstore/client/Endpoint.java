package io.kvstore.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;

/**
 * One configured node: its address as given, its plaintext channel and the async stub on it.
 * Immutable; the channel is thread safe and owned by the {@link KvClient}.
 */
record Endpoint(String address, ManagedChannel channel, KvStoreStub stub) {

  /**
   * Opens a channel to {@code address} ("host:port"). Callbacks run on the transport's threads
   * (direct executor): the client's callbacks only record the outcome and hand it over.
   */
  static Endpoint open(String address) {
    HostPort hp = HostPort.parse(address);
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(
        hp.host(), hp.port(), InsecureChannelCredentials.create())
        .userAgent("kvstore-client").directExecutor().build();
    return new Endpoint(address.strip(), channel, KvStoreGrpc.newStub(channel));
  }
}
