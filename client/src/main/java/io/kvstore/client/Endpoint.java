package io.kvstore.client;

import io.grpc.ManagedChannel;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;

/**
 * One configured node: its address as given, its plaintext channel, the async stub on it and the
 * batch stream over it. Immutable; the channel and the batch channel are thread safe and owned by
 * the {@link KvClient}.
 */
record Endpoint(String address, ManagedChannel channel, KvStoreStub stub, BatchChannel batch) {

  /** Opens a channel to {@code address} ("host:port") on the client's transport. */
  static Endpoint open(String address, Transport transport) {
    ManagedChannel channel = transport.channel(HostPort.parse(address));
    KvStoreStub stub = KvStoreGrpc.newStub(channel);
    return new Endpoint(address.strip(), channel, stub,
        new BatchChannel(stub, transport.timer(), transport.sender()));
  }
}
