package io.kvstore.client;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One configured node: its address as given, its plaintext channel, the async stub on it and the
 * batch stream over it. Immutable; the channel and the batch channel are thread safe and owned by
 * the {@link KvClient}.
 */
record Endpoint(String address, ManagedChannel channel, KvStoreStub stub, BatchChannel batch) {

  /**
   * Opens a channel to {@code address} ("host:port"); {@code timer} enforces the deadlines of
   * batched requests. Callbacks run on the transport's threads
   * (direct executor): the client's callbacks only record the outcome and hand it over.
   */
  static Endpoint open(String address, ScheduledExecutorService timer) {
    HostPort hp = HostPort.parse(address);
    ManagedChannel channel = Grpc.newChannelBuilderForAddress(
        hp.host(), hp.port(), InsecureChannelCredentials.create())
        .userAgent("kvstore-client").directExecutor().build();
    KvStoreStub stub = KvStoreGrpc.newStub(channel);
    return new Endpoint(address.strip(), channel, stub, new BatchChannel(stub, timer));
  }
}
