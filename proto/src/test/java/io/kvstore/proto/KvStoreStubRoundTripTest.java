package io.kvstore.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proves the generated KvStore stubs work end to end over an in-process gRPC channel: every
 * RPC of the client service round-trips its request and response, and a status error reaches
 * the client with its code and message. The server is a trivial map, not the real store.
 */
class KvStoreStubRoundTripTest {
  private Server server;
  private ManagedChannel channel;
  private KvStoreGrpc.KvStoreBlockingStub stub;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new MapBackedKvStore()).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = KvStoreGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void putThenGetReturnsTheValueAndContext() {
    PutResponse put = stub.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v1"))
        .setOptions(WriteOptions.newBuilder().setW(2).setPw(1)).build());
    assertEquals(2, put.getAcks());
    assertEquals(bytes("ctx-1"), put.getContext());

    GetResponse get = stub.get(GetRequest.newBuilder().setKey(bytes("k"))
        .setOptions(ReadOptions.newBuilder().setR(2).setPr(1)).build());
    assertTrue(get.getFound());
    assertFalse(get.getDeleted());
    assertEquals(List.of(Sibling.newBuilder().setValue(bytes("v1")).build()), get.getSiblingsList());
    assertEquals(put.getContext(), get.getContext());
    assertEquals(2, get.getReplies());
  }

  @Test
  void missingKeyIsNotFoundAndNotDeleted() {
    GetResponse get = stub.get(GetRequest.newBuilder().setKey(bytes("absent")).build());
    assertFalse(get.getFound());
    assertFalse(get.getDeleted());
    assertEquals(0, get.getSiblingsCount());
    assertTrue(get.getContext().isEmpty());
  }

  @Test
  void deleteLeavesADeletedKey() {
    PutResponse put = stub.put(PutRequest.newBuilder().setKey(bytes("k")).setValue(bytes("v")).build());
    DeleteResponse del = stub.delete(
        DeleteRequest.newBuilder().setKey(bytes("k")).setContext(put.getContext()).build());
    assertEquals(2, del.getAcks());
    GetResponse get = stub.get(GetRequest.newBuilder().setKey(bytes("k")).build());
    assertFalse(get.getFound());
    assertTrue(get.getDeleted());
  }

  @Test
  void clusterStatusRoundTrips() {
    ClusterStatusResponse status = stub.getClusterStatus(ClusterStatusRequest.getDefaultInstance());
    assertEquals(MapBackedKvStore.STATUS, status);
    assertEquals(MemberStatus.MEMBER_STATUS_UP, status.getMembers(0).getStatus());
  }

  @Test
  void invalidKeyFailsWithInvalidArgumentAndItsMessage() {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> stub.put(PutRequest.newBuilder().setValue(bytes("v")).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals("key must be 1..1024 bytes, got 0", e.getStatus().getDescription());
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  /** A trivial single-copy stand-in for the store: one value per key, contexts are counters. */
  private static final class MapBackedKvStore extends KvStoreGrpc.KvStoreImplBase {
    static final ClusterStatusResponse STATUS = ClusterStatusResponse.newBuilder()
        .setNodeId("n1")
        .addMembers(Member.newBuilder().setNodeId("n1").setAddress("127.0.0.1:7001")
            .setStatus(MemberStatus.MEMBER_STATUS_UP).setPartitionsOwned(128)
            .setIncarnation(3).setIsSelf(true))
        .addMembers(Member.newBuilder().setNodeId("n2").setAddress("127.0.0.1:7002")
            .setStatus(MemberStatus.MEMBER_STATUS_DOWN).setPartitionsOwned(128)
            .setIncarnation(1))
        .setRing(RingInfo.newBuilder().setPartitionCount(256).setEpoch(4))
        .setDefaults(ReplicationDefaults.newBuilder().setN(3).setR(2).setW(2))
        .build();

    private final HashMap<ByteString, ByteString> values = new HashMap<>();
    private final HashMap<ByteString, Boolean> tombstones = new HashMap<>();
    private int version;

    @Override
    public synchronized void get(GetRequest req, StreamObserver<GetResponse> out) {
      ByteString value = values.get(req.getKey());
      GetResponse.Builder resp = GetResponse.newBuilder().setReplies(2);
      if (value != null) {
        resp.setFound(true).addSiblings(Sibling.newBuilder().setValue(value))
            .setContext(bytesOf("ctx-" + version));
      } else if (tombstones.containsKey(req.getKey())) {
        resp.setDeleted(true).setContext(bytesOf("ctx-" + version));
      }
      out.onNext(resp.build());
      out.onCompleted();
    }

    @Override
    public synchronized void put(PutRequest req, StreamObserver<PutResponse> out) {
      if (req.getKey().isEmpty() || req.getKey().size() > 1024) {
        out.onError(Status.INVALID_ARGUMENT
            .withDescription("key must be 1..1024 bytes, got " + req.getKey().size())
            .asRuntimeException());
        return;
      }
      values.put(req.getKey(), req.getValue());
      version++;
      out.onNext(PutResponse.newBuilder().setContext(bytesOf("ctx-" + version)).setAcks(2).build());
      out.onCompleted();
    }

    @Override
    public synchronized void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
      values.remove(req.getKey());
      tombstones.put(req.getKey(), true);
      version++;
      out.onNext(DeleteResponse.newBuilder().setAcks(2).build());
      out.onCompleted();
    }

    @Override
    public void getClusterStatus(ClusterStatusRequest req, StreamObserver<ClusterStatusResponse> out) {
      out.onNext(STATUS);
      out.onCompleted();
    }

    private static ByteString bytesOf(String s) {
      return ByteString.copyFromUtf8(s);
    }
  }
}
