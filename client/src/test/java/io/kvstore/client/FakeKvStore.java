package io.kvstore.client;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.BatchRequest;
import io.kvstore.proto.BatchResponse;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.RequestError;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.GetAnswer;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.MultiGetRequest;
import io.kvstore.proto.MultiGetResponse;
import io.kvstore.proto.MultiPutRequest;
import io.kvstore.proto.MultiPutResponse;
import io.kvstore.proto.PutAnswer;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.Sibling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * A small fake KvStore server on a real localhost port (netty), for client tests only: not the
 * real store. Each key holds siblings numbered by a global counter; a context is the 8-byte
 * highest number a reader saw, and a write with it supersedes every sibling numbered up to it
 * (a blind write supersedes nothing). Enough to show siblings, contexts and tombstones. Like a
 * node, it serves the standard health service (SERVING), and {@link FakeAdmin} for repairs.
 *
 * <p>MultiGet and MultiPut serve each of their requests, one after the other, through the same
 * handlers as Get and Put (their failures and delays included), and answer each in its slot.
 *
 * <p>Tests can make every call of a method fail with a status ({@link #failWith}), or every get
 * and put of one key ({@link #failKey}), make every call wait ({@link #delay}), {@link #pause}
 * the server as SIGSTOP would (every call, health checks included, blocks unanswered until
 * {@link #resume}), {@link #stop} it (connections refused) and {@link #restart} it on the same
 * port, and inspect the requests received. Thread safe (synchronized state).
 */
public final class FakeKvStore extends KvStoreGrpc.KvStoreImplBase implements AutoCloseable {
  private record Version(long id, ByteString value, boolean tombstone) {}

  private final Map<ByteString, List<Version>> data = new HashMap<>();
  private final Map<String, Status> failures = new HashMap<>();
  private final Map<String, Metadata> failureTrailers = new HashMap<>();
  private final Map<ByteString, Status> keyFailures = new HashMap<>();
  private long counter;
  private volatile Duration delay = Duration.ZERO;
  private volatile ClusterStatusResponse status = ClusterStatusResponse.getDefaultInstance();
  private final PauseGate gate = new PauseGate();
  private final ExecutorService batchThreads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-batch");
    t.setDaemon(true);
    return t;
  });
  private final HealthStatusManager health = new HealthStatusManager();
  private volatile Server server;
  private final int port;
  /** The Admin service (Repair) served on the same port. */
  public final FakeAdmin admin = new FakeAdmin();

  // Synchronized lists, not copy-on-write: load tests record tens of thousands of requests.
  // Iterate them only when no call is in flight.
  public final List<GetRequest> gets = Collections.synchronizedList(new ArrayList<>());
  public final List<PutRequest> puts = Collections.synchronizedList(new ArrayList<>());
  public final List<DeleteRequest> deletes = Collections.synchronizedList(new ArrayList<>());
  /** MultiGet and MultiPut calls received (their gets and puts are also in gets and puts). */
  public final List<MultiGetRequest> multiGets = Collections.synchronizedList(new ArrayList<>());
  public final List<MultiPutRequest> multiPuts = Collections.synchronizedList(new ArrayList<>());
  /** Batch stream messages received, requests in them, and the ids the client cancelled. */
  public final java.util.concurrent.atomic.AtomicInteger batchMessages =
      new java.util.concurrent.atomic.AtomicInteger();
  public final java.util.concurrent.atomic.AtomicInteger batchRequests =
      new java.util.concurrent.atomic.AtomicInteger();
  public final Set<Long> batchCancels = ConcurrentHashMap.newKeySet();
  public final List<ClusterStatusRequest> statusCalls =
      Collections.synchronizedList(new ArrayList<>());

  public FakeKvStore() {
    health.setStatus("", ServingStatus.SERVING);
    server = start(0);
    port = server.getPort();
  }

  private Server start(int port) {
    try {
      return Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
          .addService(this).addService(admin).addService(health.getHealthService())
          .intercept(gate).build().start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What the health service answers: SERVING (the default) or NOT_SERVING. */
  public void serving(boolean serving) {
    health.setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  /** Calls (KvStore and health) block unanswered from now on, as in a stopped process. */
  public void pause() {
    gate.pause();
  }

  /** Ends a {@link #pause}: blocked calls not yet cancelled by their client proceed. */
  public void resume() {
    gate.resume();
  }

  /** Calls of the KvStore service that arrived while paused (health checks not counted). */
  public int callsWhilePaused() {
    return gate.blocked();
  }

  /** Put calls that arrived while paused. */
  public int putsWhilePaused() {
    return gate.blocked("Put");
  }

  /** Stops listening: connections are refused until {@link #restart}. Data is kept. */
  public void stop() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Listens again on the same port after {@link #stop}. */
  public void restart() {
    server = start(port);
  }

  /** "127.0.0.1:port" of this server. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  /** An address on which nothing listens (a port bound, then released). */
  public static String closedAddress() {
    try (ServerSocket s = new ServerSocket(0)) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Makes every call of {@code method} ("get", "put", "delete", "status", "multiGet", "multiPut")
   * fail; null heals.
   */
  public synchronized void failWith(String method, Status s) {
    failWith(method, s, new Metadata());
  }

  /** As {@link #failWith(String, Status)}, the error carrying {@code trailers}. */
  public synchronized void failWith(String method, Status s, Metadata trailers) {
    if (s == null) {
      failures.remove(method);
      failureTrailers.remove(method);
    } else {
      failures.put(method, s);
      failureTrailers.put(method, trailers);
    }
  }

  /**
   * Makes every get and put of {@code key} fail with {@code s}, alone or in a MultiGet or
   * MultiPut (there only its slot); null heals.
   */
  public synchronized void failKey(ByteString key, Status s) {
    if (s == null) {
      keyFailures.remove(key);
    } else {
      keyFailures.put(key, s);
    }
  }

  /** How long every call waits before it is served; in MultiGet and MultiPut, each request. */
  public void delay(Duration d) {
    delay = d;
  }

  public void status(ClusterStatusResponse s) {
    status = s;
  }

  /**
   * A status answer as node {@code self} of {@code ring} would give it: every member (at
   * {@code addresses}, node id to host:port) UP, the ring's partition count and epoch, and each
   * partition's first {@code n} replicas (partition_replicas, kvstore.proto).
   */
  public static ClusterStatusResponse ringStatus(String self, io.kvstore.ring.Ring ring, int n,
      Map<String, String> addresses) {
    ClusterStatusResponse.Builder b = ClusterStatusResponse.newBuilder().setNodeId(self)
        .setRing(io.kvstore.proto.RingInfo.newBuilder().setPartitionCount(ring.partitionCount())
            .setEpoch(ring.epoch()))
        .setDefaults(io.kvstore.proto.ReplicationDefaults.newBuilder().setN(n).setR(1).setW(1));
    new java.util.TreeMap<>(addresses).forEach((id, address) -> b.addMembers(
        io.kvstore.proto.Member.newBuilder().setNodeId(id).setAddress(address)
            .setStatus(io.kvstore.proto.MemberStatus.MEMBER_STATUS_UP).setIsSelf(id.equals(self))));
    for (int p = 0; p < ring.partitionCount(); p++) {
      b.addPartitionReplicas(io.kvstore.proto.PartitionReplicas.newBuilder().addAllNodeIds(
          ring.preferenceList(p, n).stream().map(io.kvstore.ring.NodeId::id).toList()));
    }
    return b.build();
  }

  @Override
  public void get(GetRequest req, StreamObserver<GetResponse> out) {
    gets.add(req);
    if (fail("get", out) || failKey(req.getKey(), out)) {
      return;
    }
    GetResponse.Builder b = GetResponse.newBuilder().setReplies(2);
    synchronized (this) {
      List<Version> versions = data.getOrDefault(req.getKey(), List.of());
      versions.stream().filter(v -> !v.tombstone())
          .forEach(v -> b.addSiblings(Sibling.newBuilder().setValue(v.value())));
      b.setFound(b.getSiblingsCount() > 0);
      b.setDeleted(!versions.isEmpty() && b.getSiblingsCount() == 0);
      versions.stream().mapToLong(Version::id).max()
          .ifPresent(max -> b.setContext(context(max)));
    }
    reply(out, b.build());
  }

  @Override
  public void put(PutRequest req, StreamObserver<PutResponse> out) {
    puts.add(req);
    if (fail("put", out) || failKey(req.getKey(), out)) {
      return;
    }
    if (badContext(req.getContext(), out)) {
      return;
    }
    long id = write(req.getKey(), req.getValue(), req.getContext(), false);
    reply(out, PutResponse.newBuilder().setContext(context(id)).setAcks(2).build());
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    deletes.add(req);
    if (fail("delete", out)) {
      return;
    }
    if (badContext(req.getContext(), out)) {
      return;
    }
    write(req.getKey(), ByteString.EMPTY, req.getContext(), true);
    reply(out, DeleteResponse.newBuilder().setAcks(2).build());
  }

  /**
   * The batch stream: each request runs on its own thread through the same handlers as the unary
   * calls (failures, delays and the pause gate included), answers go back by id as they finish,
   * and a request cancelled before it ran is dropped.
   */
  @Override
  public StreamObserver<BatchRequest> batch(StreamObserver<BatchResponse> out) {
    Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    return new StreamObserver<>() {
      @Override
      public void onNext(BatchRequest m) {
        cancelled.addAll(m.getCancelList());
        batchCancels.addAll(m.getCancelList());
        batchMessages.incrementAndGet();
        batchRequests.addAndGet(m.getRequestsCount());
        for (BatchedRequest r : m.getRequestsList()) {
          batchThreads.execute(() -> serve(r));
        }
      }

      private void serve(BatchedRequest r) {
        boolean waited = gate.awaitOpen("KvStore", switch (r.getRequestCase()) {
          case GET -> "Get";
          case PUT -> "Put";
          default -> "Delete";
        });
        if (waited && cancelled.contains(r.getId())) {
          return;
        }
        BatchedResponse.Builder b = BatchedResponse.newBuilder().setId(r.getId());
        switch (r.getRequestCase()) {
          case GET -> get(r.getGet(), answer(b, b::setGet));
          case PUT -> put(r.getPut(), answer(b, b::setPut));
          default -> delete(r.getDelete(), answer(b, b::setDelete));
        }
      }

      private <T> StreamObserver<T> answer(BatchedResponse.Builder b,
          java.util.function.Consumer<T> set) {
        return new StreamObserver<>() {
          @Override
          public void onNext(T value) {
            set.accept(value);
          }

          @Override
          public void onError(Throwable t) {
            send(b.setError(requestError(t)).build());
          }

          @Override
          public void onCompleted() {
            send(b.build());
          }
        };
      }

      private void send(BatchedResponse r) {
        synchronized (out) {
          try {
            out.onNext(BatchResponse.newBuilder().addResponses(r).build());
          } catch (IllegalStateException | io.grpc.StatusRuntimeException closed) {
            // the client went away
          }
        }
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        synchronized (out) {
          out.onCompleted();
        }
      }
    };
  }

  @Override
  public void multiGet(MultiGetRequest req, StreamObserver<MultiGetResponse> out) {
    multiGets.add(req);
    if (failed("multiGet", out) || badCount("gets", req.getGetsCount(), out)) {
      return;
    }
    reply(out, MultiGetResponse.newBuilder().addAllResults(each(req.getGetsList(), this::get,
        r -> GetAnswer.newBuilder().setResponse(r).build(),
        e -> GetAnswer.newBuilder().setError(e).build())).build());
  }

  @Override
  public void multiPut(MultiPutRequest req, StreamObserver<MultiPutResponse> out) {
    multiPuts.add(req);
    if (failed("multiPut", out) || badCount("puts", req.getPutsCount(), out)) {
      return;
    }
    reply(out, MultiPutResponse.newBuilder().addAllResults(each(req.getPutsList(), this::put,
        r -> PutAnswer.newBuilder().setResponse(r).build(),
        e -> PutAnswer.newBuilder().setError(e).build())).build());
  }

  /** As the node: 1 to 1,000 requests in a multi-key call, else INVALID_ARGUMENT. */
  private static boolean badCount(String what, int count, StreamObserver<?> out) {
    if (count >= 1 && count <= 1000) {
      return false;
    }
    out.onError(Status.INVALID_ARGUMENT.withDescription("a multi-key call needs 1 to 1000 "
        + what + ", got " + count).asRuntimeException());
    return true;
  }

  /**
   * Serves each request with {@code handler} (which answers before it returns) and collects the
   * answers in request order: {@code response} of its response, or {@code error} of its error.
   */
  private static <Q, R, A> List<A> each(List<Q> requests,
      BiConsumer<Q, StreamObserver<R>> handler, Function<R, A> response,
      Function<RequestError, A> error) {
    List<A> answers = new ArrayList<>(requests.size());
    for (Q q : requests) {
      handler.accept(q, new StreamObserver<R>() {
        @Override
        public void onNext(R value) {
          answers.add(response.apply(value));
        }

        @Override
        public void onError(Throwable t) {
          answers.add(error.apply(requestError(t)));
        }

        @Override
        public void onCompleted() {}
      });
    }
    return answers;
  }

  /** A failed request as its RequestError in a Batch, MultiGet or MultiPut answer. */
  private static RequestError requestError(Throwable t) {
    Status st = Status.fromThrowable(t);
    Metadata trailers = Status.trailersFromThrowable(t);
    return RequestError.newBuilder().setCode(st.getCode().value())
        .setMessage(String.valueOf(st.getDescription()))
        .setNotApplied(trailers != null && "1".equals(trailers.get(
            Metadata.Key.of("kv-not-applied", Metadata.ASCII_STRING_MARSHALLER))))
        .build();
  }

  @Override
  public void getClusterStatus(ClusterStatusRequest req, StreamObserver<ClusterStatusResponse> out) {
    statusCalls.add(req);
    if (fail("status", out)) {
      return;
    }
    reply(out, status);
  }

  private synchronized long write(ByteString key, ByteString value, ByteString ctx, boolean tomb) {
    long covered = ctx.isEmpty() ? 0 : ctx.asReadOnlyByteBuffer().getLong();
    List<Version> versions = new ArrayList<>(data.getOrDefault(key, List.of()));
    versions.removeIf(v -> v.id() <= covered);
    long id = ++counter;
    versions.add(new Version(id, value, tomb));
    data.put(key, versions);
    return id;
  }

  private static ByteString context(long id) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).flip());
  }

  private static boolean badContext(ByteString ctx, StreamObserver<?> out) {
    if (ctx.isEmpty() || ctx.size() == 8) {
      return false;
    }
    out.onError(Status.INVALID_ARGUMENT.withDescription("undecodable context").asRuntimeException());
    return true;
  }

  private boolean fail(String method, StreamObserver<?> out) {
    sleepForDelay();
    return failed(method, out);
  }

  /** Fails the call at once if {@code method} is made to fail; true if it did. */
  private boolean failed(String method, StreamObserver<?> out) {
    Status s;
    Metadata trailers;
    synchronized (this) {
      s = failures.get(method);
      trailers = failureTrailers.get(method);
    }
    if (s != null) {
      out.onError(s.asRuntimeException(trailers));
      return true;
    }
    return false;
  }

  /** Fails the request if {@code key} is made to fail; true if it did. */
  private boolean failKey(ByteString key, StreamObserver<?> out) {
    Status s;
    synchronized (this) {
      s = keyFailures.get(key);
    }
    if (s != null) {
      out.onError(s.asRuntimeException());
      return true;
    }
    return false;
  }

  private void sleepForDelay() {
    Duration d = delay;
    if (!d.isZero()) {
      try {
        Thread.sleep(d.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static <T> void reply(StreamObserver<T> out, T response) {
    out.onNext(response);
    out.onCompleted();
  }

  @Override
  public void close() {
    resume();
    stop();
  }
}
