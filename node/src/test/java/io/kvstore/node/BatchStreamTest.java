package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.MultiGetRequest;
import io.kvstore.proto.MultiGetResponse;
import io.kvstore.proto.MultiPutRequest;
import io.kvstore.proto.MultiPutResponse;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.ReadOptions;
import io.kvstore.proto.WriteOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Batch stream and MultiGet / MultiPut on real nodes over real gRPC. */
class BatchStreamTest {
  @TempDir static Path root;
  static TestCluster c;

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster(root, 3);
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  /** A client side of one Batch stream that collects answers by id. */
  private static final class Session implements StreamObserver<BatchResponse> {
    final Map<Long, BatchedResponse> answers = new ConcurrentHashMap<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();
    final StreamObserver<BatchRequest> requests;

    Session(int node) {
      this(KvStoreGrpc.newStub(c.channel(node)));
    }

    Session(KvStoreGrpc.KvStoreStub stub) {
      requests = stub.batch(this);
    }

    void send(BatchedRequest... rs) {
      requests.onNext(BatchRequest.newBuilder().addAllRequests(List.of(rs)).build());
    }

    BatchedResponse await(long id) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!answers.containsKey(id)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no answer for request " + id + "; have " + answers.keySet());
        }
        Thread.sleep(5);
      }
      return answers.get(id);
    }

    @Override
    public void onNext(BatchResponse m) {
      for (BatchedResponse r : m.getResponsesList()) {
        if (answers.putIfAbsent(r.getId(), r) != null) {
          end.completeExceptionally(new AssertionError("two answers for " + r.getId()));
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  private static BatchedRequest put(long id, String key, String value, int w) {
    return BatchedRequest.newBuilder().setId(id).setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
        .setOptions(WriteOptions.newBuilder().setW(w))).build();
  }

  private static BatchedRequest get(long id, String key) {
    return BatchedRequest.newBuilder().setId(id).setGet(GetRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setOptions(ReadOptions.newBuilder().setR(3)))
        .build();
  }

  @Test
  void requestsOfOneMessageAreAnsweredByIdAndABadOneFailsAloneThenTheStreamCompletes()
      throws Exception {
    Session s = new Session(0);
    s.send(put(1, "b-one", "1", 3), put(2, "b-two", "2", 3),
        BatchedRequest.newBuilder().setId(3).setGet(GetRequest.getDefaultInstance()).build(),
        BatchedRequest.newBuilder().setId(4).build());
    assertTrue(s.await(1).hasPut());
    assertEquals(3, s.await(1).getPut().getAcks());
    assertTrue(s.await(2).hasPut());
    BatchedResponse bad = s.await(3);
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), bad.getError().getCode());
    assertTrue(bad.getError().getMessage().contains("key must not be empty"),
        bad.getError().getMessage());
    assertEquals(Status.Code.INVALID_ARGUMENT.value(), s.await(4).getError().getCode());
    // Later messages on the same stream see the writes of earlier ones.
    s.send(get(5, "b-one"), get(6, "b-two"), get(7, "b-missing"));
    assertEquals("1", s.await(5).getGet().getSiblings(0).getValue().toStringUtf8());
    assertEquals("2", s.await(6).getGet().getSiblings(0).getValue().toStringUtf8());
    assertFalse(s.await(7).getGet().getFound());
    s.requests.onCompleted();
    assertEquals(Status.Code.OK, s.end.get(10, TimeUnit.SECONDS).getCode());
    assertEquals(7, s.answers.size());
  }

  @Test
  void aRequestWhoseDeadlinePassesFailsAloneWithDeadlineExceeded() throws Exception {
    Session s = new Session(1);
    s.send(put(1, "b-late", "x", 3).toBuilder().setTimeoutMicros(1).build(),
        put(2, "b-ontime", "y", 3));
    assertEquals(Status.Code.DEADLINE_EXCEEDED.value(), s.await(1).getError().getCode());
    assertTrue(s.await(2).hasPut());
    s.requests.onCompleted();
    assertEquals(Status.Code.OK, s.end.get(10, TimeUnit.SECONDS).getCode());
  }

  @Test
  void reusingAnIdStillInFlightEndsTheStream() throws Exception {
    Session s = new Session(2);
    // W=3: the first one waits for two remote acks, so it is in flight when the second arrives.
    s.send(put(9, "b-dup", "1", 3), put(9, "b-dup", "2", 3));
    Status end = s.end.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.INVALID_ARGUMENT, end.getCode());
    assertTrue(end.getDescription().contains("request id 9 is already in flight"),
        end.getDescription());
  }

  @Test
  void multiPutAndMultiGetAnswerEachKeyInOrderWithFailuresInTheirSlots() {
    var stub = KvStoreGrpc.newBlockingStub(c.channel(0)).withDeadlineAfter(10, TimeUnit.SECONDS);
    MultiPutRequest.Builder puts = MultiPutRequest.newBuilder();
    for (int i = 0; i < 20; i++) {
      puts.addPuts(PutRequest.newBuilder().setKey(ByteString.copyFromUtf8("m-" + i))
          .setValue(ByteString.copyFromUtf8("v" + i)));
    }
    puts.addPuts(PutRequest.newBuilder().setKey(ByteString.copyFrom(new byte[1025])));
    MultiPutResponse written = stub.multiPut(puts.build());
    assertEquals(21, written.getResultsCount());
    for (int i = 0; i < 20; i++) {
      assertTrue(written.getResults(i).hasResponse(), "put " + i);
    }
    assertEquals(Status.Code.INVALID_ARGUMENT.value(),
        written.getResults(20).getError().getCode());

    MultiGetRequest.Builder gets = MultiGetRequest.newBuilder();
    for (int i = 19; i >= 0; i--) {
      gets.addGets(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("m-" + i)));
    }
    gets.addGets(GetRequest.newBuilder().setKey(ByteString.copyFromUtf8("m-none")));
    MultiGetResponse read = KvStoreGrpc.newBlockingStub(c.channel(1))
        .withDeadlineAfter(10, TimeUnit.SECONDS).multiGet(gets.build());
    for (int i = 0; i < 20; i++) {
      assertEquals("v" + (19 - i), read.getResults(i).getResponse().getSiblings(0).getValue()
          .toString(StandardCharsets.UTF_8));
    }
    assertFalse(read.getResults(20).getResponse().getFound());
  }

  @Test
  void aGracefulStopEndsOpenStreamsOnceTheirRequestsAreAnswered(@TempDir Path own)
      throws Exception {
    try (TestCluster one = new TestCluster(own, 1, "cluster.n=1", "cluster.r=1", "cluster.w=1")) {
      var stub = KvStoreGrpc.newStub(one.channel(0));
      Session s = new Session(stub);
      s.send(put(1, "s-1", "v", 1));
      assertTrue(s.await(1).hasPut());
      long start = System.nanoTime();
      one.stop(0); // the stream stays open on the client's side: the node must end it
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Status.Code.OK, s.end.get(5, TimeUnit.SECONDS).getCode());
      assertTrue(tookMs < 5000, "stop waited for the open stream: " + tookMs + " ms");
    }
  }

  @Test
  void multiCallsWithNoneOrTooManyRequestsAreRefused() {
    var stub = KvStoreGrpc.newBlockingStub(c.channel(0)).withDeadlineAfter(10, TimeUnit.SECONDS);
    var none = org.junit.jupiter.api.Assertions.assertThrows(io.grpc.StatusRuntimeException.class,
        () -> stub.multiGet(MultiGetRequest.getDefaultInstance()));
    assertEquals(Status.Code.INVALID_ARGUMENT, none.getStatus().getCode());
    MultiPutRequest.Builder many = MultiPutRequest.newBuilder();
    for (int i = 0; i < 1001; i++) {
      many.addPuts(PutRequest.newBuilder().setKey(ByteString.copyFrom(bytes("many-" + i))));
    }
    var tooMany = org.junit.jupiter.api.Assertions.assertThrows(
        io.grpc.StatusRuntimeException.class, () -> stub.multiPut(many.build()));
    assertTrue(tooMany.getStatus().getDescription().contains("1 to 1000 puts, got 1001"),
        tooMany.getStatus().getDescription());
    assertFalse(c.local(c.replicas(bytes("many-0")).getFirst(), bytes("many-0")).getPresent());
  }
}
