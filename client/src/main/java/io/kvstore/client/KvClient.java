package io.kvstore.client;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.kvstore.proto.BatchedRequest;
import io.kvstore.proto.BatchedResponse;
import io.kvstore.proto.BatchedResponse.ResponseCase;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.ClusterStatusResponse;
import io.kvstore.proto.KvStoreGrpc.KvStoreStub;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.MultiGetRequest;
import io.kvstore.proto.MultiGetResponse;
import io.kvstore.proto.MultiPutRequest;
import io.kvstore.proto.MultiPutResponse;
import io.kvstore.proto.PutRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Client of a kvstore cluster over gRPC (plaintext). Any node coordinates any request; the client
 * keeps one channel per configured address and sends each call to the node it judges best, a
 * replica of the key when it knows the ring.
 *
 * <p><b>Choosing a node.</b> The client tracks, per node, the requests it has outstanding, a
 * smoothed latency and when it last answered (see {@link NodeSelector}). A node is <em>suspect</em>
 * when it could not be reached, or when an attempt timed out (or, hedged, was abandoned
 * unanswered twice in a row) while the node answered nothing else since; it is <em>slow</em>
 * while it has requests outstanding and has been quiet for longer than the hedge delay, or for a
 * probe interval after it answered UNAVAILABLE. Each attempt goes to a node of the best standing
 * (healthy, else slow, else suspect) not yet tried by the call: of two drawn at random, the one
 * with fewer outstanding requests, then the lower latency. Suspects get no traffic while any
 * other node is left, except a health-check probe ({@code grpc.health.v1.Health/Check}, deadline
 * the smaller of {@code timeout} and 1 s) every {@code probeInterval}, sent when a call starts.
 * A probe answered with anything but NOT_SERVING, or any answer to a call, clears the suspicion.
 * When only suspects are left the least bad is tried anyway: the client never refuses a call
 * without trying.
 *
 * <p><b>Token awareness</b> ({@link Builder#tokenAware}, on by default, as Cassandra's
 * token-aware policy). A node that is not a replica of a key forwards a write to a replica (one
 * more hop) and reads the replicas remotely, so get, put and delete go to a replica of their key
 * when the client knows the ring: the rules above pick among the key's replicas that are
 * configured addresses (healthy before slow), and hedges and retries go to its other replicas
 * first, then to any node as above. A replica that is suspect is skipped for a node that is not
 * (which forwards); a replica that is not one of the configured addresses is never added, as
 * members the client was not given are not used (addresses are matched as host:port, not
 * resolved). The ring comes from a status answer ({@code KvStore.GetClusterStatus}, which lists
 * each partition's replicas; kvstore.proto says how a key maps to its partition): asked at the
 * first get, put or delete, which waits for it at most one hedge delay (the time a healthy node
 * takes to answer), then again in the background 30 s after the last answer (1 s after a round
 * no node answered); any status answer whose ring epoch is newer, {@link #status()}'s included,
 * replaces it at once. Until the client knows a ring, or when the nodes do not send one (older
 * nodes), it routes as above.
 *
 * <p><b>Hedging.</b> {@code get}, {@code getAll} and {@code status} are idempotent: when the node
 * has not answered after the <em>hedge delay</em>, the same read is also sent to the next best
 * node that is not suspect, and so on one node per delay while attempts remain; the first answer
 * wins and the others are cancelled. The delay is the smoothed latency of answers plus four mean
 * deviations (as TCP's RFC 6298 retransmission timeout), clamped to {@code hedgeDelay(min, max)}
 * (default 20 ms to 500 ms; the maximum before any answer) and to half of {@code timeout}. Writes
 * are never hedged.
 *
 * <p><b>Retries.</b> A call makes up to {@code maxAttempts} attempts (default: one per address),
 * hedges included, each at a node not yet tried while there is one:
 *
 * <ul>
 *   <li>a node that cannot be reached (connection refused, unknown host, no route: the request
 *       never left the client) is always skipped for the next one, for reads and writes alike;
 *   <li>reads ({@code get}, {@code getAll}) and {@link #status()} also move on after an
 *       UNAVAILABLE answer (quorum not reached), as another coordinator may see more replicas,
 *       and after a call the node cancelled (CANCELLED not asked for by the client, e.g. from a
 *       node shutting down);
 *   <li>a put, putAll or delete that a node refused with UNAVAILABLE before writing anything
 *       (fewer than W replicas up as its failure detector sees them; the answer carries the
 *       trailer {@code kv-not-applied: 1}) moves on to the next node like a read;
 *   <li>any other UNAVAILABLE answer to a put, putAll or delete may mean it was stored by the
 *       replicas that acked, so by default it is <em>not</em> retried and the error is thrown.
 *       Retrying it with the same context would be safe in Dynamo semantics (if the first
 *       attempt landed, the retry adds at worst a sibling with the same value, which the next
 *       write with a read context resolves); {@link Builder#retryWritesOnUnavailable} opts in.
 *   <li>no new attempt follows DEADLINE_EXCEEDED, INVALID_ARGUMENT, FAILED_PRECONDITION or
 *       RESOURCE_EXHAUSTED (an overloaded cluster needs backoff, not more requests); a read
 *       still waits for its hedges in flight, and the first of them to answer wins.
 * </ul>
 *
 * <p>A failed call throws the last answered failure other than a timeout, else the last
 * DEADLINE_EXCEEDED, else "cannot reach any node of ...".
 *
 * <p><b>Deadlines.</b> Every attempt carries a gRPC deadline of {@code timeout}, which the
 * coordinator propagates to the replicas. An attempt starts no later than the previous one ends,
 * so a call takes at most {@code maxAttempts * timeout}; a write that reached a node that does not
 * answer takes {@code timeout} and fails with DEADLINE_EXCEEDED, while a read that a healthy node
 * can answer takes about one hedge delay per unanswering node tried before it.
 *
 * <p><b>Several keys.</b> {@link #getAll} and {@link #putAll} send up to 1,000 keys per call to one
 * node (any node: not routed by key), which serves each key as its own get or put and answers each
 * on its own; a list of more keys becomes several calls, one after the other.
 *
 * <p><b>Repair.</b> {@link #repair} is an admin call, not a data call: it goes to the one node
 * named, with its own long deadline, and takes no part in node selection, retries or hedging.
 *
 * <p>Thread safe: share one instance. {@link #close()} shuts the channels down.
 */
public final class KvClient implements AutoCloseable {
  private static final int[] ANY_NODE = new int[0];
  private static final ClusterStatusRequest STATUS = ClusterStatusRequest.getDefaultInstance();

  private final Routing routing;
  private final Prober prober;
  private final boolean batching;
  private final Transport transport;
  private final RingTracker ring; // null when not token-aware

  private KvClient(Builder b, RoutingPolicy policy) {
    this.batching = b.batching;
    this.transport = new Transport(b.tlsCa, b.tlsServerName, b.token);
    List<Endpoint> endpoints = b.addresses.stream().map(a -> Endpoint.open(a, transport))
        .toList();
    NodeSelector selector = new NodeSelector(endpoints.size(), policy, b.clock, b.random);
    int attempts = b.maxAttempts > 0 ? b.maxAttempts : endpoints.size();
    this.routing = new Routing(endpoints, selector, policy, b.clock, attempts,
        b.retryWritesOnUnavailable);
    this.prober = new Prober(routing);
    this.ring = b.tokenAware ? new RingTracker(addresses(), selector, b.clock, this::fetchStatus,
        policy.probeTimeoutNanos()) : null;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Reads a key with the cluster's default quorum. */
  public GetResult get(byte[] key) {
    return get(key, ReadOptions.DEFAULT);
  }

  /** Reads a key. A missing key is not an error: found and deleted are false. */
  public GetResult get(byte[] key, ReadOptions options) {
    GetRequest req = Messages.getRequest(key, options.toProto());
    return Messages.getResult(call(true, key, q -> q.setGet(req), ResponseCase.GET,
        BatchedResponse::getGet, (stub, out) -> stub.get(req, out)));
  }

  /** Writes a value with the cluster's default quorum; see {@link #put(byte[], byte[], Context, WriteOptions)}. */
  public PutResult put(byte[] key, byte[] value, Context context) {
    return put(key, value, context, WriteOptions.DEFAULT);
  }

  /**
   * Writes a value. With the context of an earlier read (or write) of the key, the value
   * supersedes exactly what that context covers; with {@link Context#EMPTY} it is a blind write
   * that becomes one more sibling.
   */
  public PutResult put(byte[] key, byte[] value, Context context, WriteOptions options) {
    PutRequest req = Messages.putRequest(key, value, context, options.toProto());
    return Messages.putResult(call(false, key, q -> q.setPut(req), ResponseCase.PUT,
        BatchedResponse::getPut, (stub, out) -> stub.put(req, out)));
  }

  /**
   * Reads several keys with the cluster's default quorum; see {@link #getAll(List, ReadOptions)}.
   */
  public List<KeyResult<GetResult>> getAll(List<byte[]> keys) {
    return getAll(keys, ReadOptions.DEFAULT);
  }

  /**
   * Reads several keys, each as {@link #get(byte[], ReadOptions)} reads it (its own quorum, with
   * {@code options}, and its own read repair), in one {@code KvStore.MultiGet} call per 1,000
   * keys. Returns one result per key, in the order of {@code keys}; a missing key is not an
   * error (found and deleted are false).
   *
   * <p>A call goes to one node, chosen as for any call but not by key (token awareness does not
   * apply): that node coordinates every key of the call, and reads the replicas of a key it does
   * not hold remotely. The keys of a call are read concurrently under one deadline, the client's
   * {@code timeout}. The call is hedged and retried as {@code get} is (see the class comment), as
   * a whole: the hedge delay is learned from the latencies of all calls, so a large call may be
   * sent again to another node while the first is still working on it. A list of more than 1,000
   * keys is sent as calls of 1,000 (the last one smaller), one after the other, each with its own
   * node, retries and deadline. Always a unary call: {@link Builder#batching} does not apply.
   *
   * <p>A key that fails (quorum not reached, its node overloaded, a bad key) fails alone: its
   * {@link KeyResult} holds the exception the {@code get} of that key would have thrown, and the
   * other keys are still answered. The client does not retry such a key. The answer of a call
   * must fit the client's gRPC message limit (4 MiB): read keys with large values one by one.
   *
   * @param keys the keys (a key listed twice is read twice); an empty list returns an empty list
   *     without a call
   * @return one result per key, in the order of {@code keys}; unmodifiable
   * @throws NullPointerException if {@code keys}, one of them ("keys[3] is null") or
   *     {@code options} is null; nothing is sent then
   * @throws KvException if a call fails as a whole, as {@code get} would: no node could be
   *     reached, the deadline expired before every key of the call was answered, ...; the results
   *     of the calls already answered for the list are not returned
   */
  public List<KeyResult<GetResult>> getAll(List<byte[]> keys, ReadOptions options) {
    io.kvstore.proto.ReadOptions o = Objects.requireNonNull(options, "options").toProto();
    return Messages.inCalls("keys", keys, slice -> {
      MultiGetRequest req = MultiGetRequest.newBuilder()
          .addAllGets(slice.stream().map(k -> Messages.getRequest(k, o)).toList()).build();
      return multi(true, slice.size(), (stub, out) -> stub.multiGet(req, out),
          MultiGetResponse::getResultsList, (a, node) -> a.hasResponse()
              ? KeyResult.of(Messages.getResult(a.getResponse()))
              : Messages.failed(a.getError(), node));
    });
  }

  /**
   * Writes several keys with the cluster's default quorum; see
   * {@link #putAll(List, WriteOptions)}.
   */
  public List<KeyResult<PutResult>> putAll(List<Write> writes) {
    return putAll(writes, WriteOptions.DEFAULT);
  }

  /**
   * Writes several keys, each as {@link #put(byte[], byte[], Context, WriteOptions)} writes it
   * (its own context, its own quorum with {@code options}, its own siblings), in one
   * {@code KvStore.MultiPut} call per 1,000 writes. Returns one result per write, in the order of
   * {@code writes}.
   *
   * <p><b>Not atomic, and in no order.</b> The node runs the writes of a call concurrently and
   * independently: some may be stored while others fail, and readers may see any of them before
   * the others. Two writes of one key in a list are two concurrent writes, each superseding what
   * its context covers, not one after the other.
   *
   * <p>A call goes to one node, chosen as for any call but not by key (token awareness does not
   * apply): that node coordinates every write of the call and forwards each one whose key it
   * does not replicate. The writes of a call share one deadline, the client's {@code timeout}. A
   * call is never hedged, and it moves on to another node only when a put would (see the class
   * comment): when the node could not be reached, or when the node refused the whole call with
   * UNAVAILABLE before writing anything, or after any UNAVAILABLE answer with
   * {@link Builder#retryWritesOnUnavailable}. A list of more than 1,000 writes is sent as calls of
   * 1,000 (the last one smaller), one after the other, each with its own node, retries and
   * deadline. Always a unary call: {@link Builder#batching} does not apply. The request must fit
   * the node's gRPC message limit (64 MiB by default) and the answer the client's (4 MiB).
   *
   * <p><b>Errors.</b> A write that fails fails alone: its {@link KeyResult} holds the exception
   * the {@code put} of that write would have thrown, and the other writes are still answered. The
   * client does not retry such a write. As for {@code put} (see {@link KvException}): after
   * INVALID_ARGUMENT, FAILED_PRECONDITION or RESOURCE_EXHAUSTED nothing of that write was stored;
   * after UNAVAILABLE or DEADLINE_EXCEEDED it may or may not have been (the node marks an
   * UNAVAILABLE that wrote nothing, kvstore.proto's {@code not_applied}, but {@link KvException}
   * does not expose that mark), and writing it again with the same context is safe (at worst a
   * sibling with the same value).
   *
   * @param writes the writes; an empty list returns an empty list without a call
   * @return one result per write, in the order of {@code writes}; unmodifiable
   * @throws NullPointerException if {@code writes}, one of them ("writes[3] is null") or
   *     {@code options} is null; nothing is sent then
   * @throws KvException if a call fails as a whole, as {@code put} would. After DEADLINE_EXCEEDED
   *     or a lost connection any write of that call may or may not have been stored; when no node
   *     could be reached ({@link KvException#unreachable()}) or the node refused the call
   *     (INVALID_ARGUMENT), none of it was. The calls made before it for the list were answered
   *     and their writes stand, but their results are not returned, and the writes after it are
   *     not sent.
   */
  public List<KeyResult<PutResult>> putAll(List<Write> writes, WriteOptions options) {
    io.kvstore.proto.WriteOptions o = Objects.requireNonNull(options, "options").toProto();
    return Messages.inCalls("writes", writes, slice -> {
      MultiPutRequest req = MultiPutRequest.newBuilder().addAllPuts(slice.stream()
          .map(w -> Messages.putRequest(w.key(), w.value(), w.context(), o)).toList()).build();
      return multi(false, slice.size(), (stub, out) -> stub.multiPut(req, out),
          MultiPutResponse::getResultsList, (a, node) -> a.hasResponse()
              ? KeyResult.of(Messages.putResult(a.getResponse()))
              : Messages.failed(a.getError(), node));
    });
  }

  /** Deletes with the cluster's default quorum; see {@link #delete(byte[], Context, WriteOptions)}. */
  public DeleteResult delete(byte[] key, Context context) {
    return delete(key, context, WriteOptions.DEFAULT);
  }

  /**
   * Deletes a key: writes a tombstone superseding what {@code context} (from a read) covers.
   * Values written concurrently survive. With {@link Context#EMPTY} it removes nothing.
   */
  public DeleteResult delete(byte[] key, Context context, WriteOptions options) {
    DeleteRequest req = DeleteRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setContext(ByteString.copyFrom(context.toBytes())).setOptions(options.toProto())
        .build();
    DeleteResponse r = call(false, key, q -> q.setDelete(req), ResponseCase.DELETE,
        BatchedResponse::getDelete, (stub, out) -> stub.delete(req, out));
    return new DeleteResult(r.getAcks(), r.getSloppyAcks());
  }

  /**
   * The cluster as the answering node sees it. A token-aware client also takes the ring from the
   * answer when its epoch is newer than the one it routes by.
   */
  public ClusterStatus status() {
    ClusterStatusResponse r = call(true, null,
        Attempt.Rpc.unary((stub, out) -> stub.getClusterStatus(STATUS, out)));
    if (ring != null) {
      ring.offer(r);
    }
    return ClusterStatus.fromProto(r);
  }

  /**
   * Runs anti-entropy now on the node at {@code address} (one of this client's addresses; a
   * repair is per node, so it is never sent elsewhere): that node exchanges each requested
   * partition it replicates with each requested co-replica, one exchange at a time, behind any
   * exchange already running. {@code listener} gets each exchange as it finishes, on the calling
   * thread; this method returns when the node reports its totals. A co-replica that is down or
   * fails is reported as a failed exchange ({@link RepairProgress#failed()}) and the repair goes
   * on. The call carries {@link RepairOptions#deadline()} (default 1 h), not the client's timeout.
   *
   * @throws IllegalArgumentException if {@code address} is not one of {@link #addresses()}
   * @throws KvException if the node cannot be reached ({@link KvException#unreachable()}),
   *     refuses the request (INVALID_ARGUMENT: a partition out of range, a peer that is not a
   *     member) or fails, the deadline expires, or the listener's thread is interrupted; a
   *     listener that throws cancels the repair and its exception propagates
   */
  public RepairResult repair(String address, RepairOptions options,
      Consumer<RepairProgress> listener) {
    Endpoint endpoint = routing.endpoints().stream()
        .filter(e -> e.address().equals(address.strip())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + address
            + "' is not an address of this client " + addresses()));
    return new RepairCall(endpoint, options, Objects.requireNonNull(listener)).run();
  }

  /** Repairs every partition of the node at {@code address} with every co-replica. */
  public RepairResult repair(String address, Consumer<RepairProgress> listener) {
    return repair(address, RepairOptions.ALL, listener);
  }

  /**
   * Read-modify-write: reads the key, reduces its siblings to one value (none: null; one: that
   * value; several: {@code resolver}), applies {@code fn} and writes the result back with the
   * read's context, so the write supersedes every sibling that was read.
   *
   * <p>Not atomic: a write by another client between the read and the write is not covered by
   * the context and survives as a sibling of this one (nothing is lost; a later update resolves
   * it). Use it again, or read and resolve, when you need a single value.
   *
   * @param fn the new value from the resolved current one (null when the key is missing or
   *     deleted); must not return null
   */
  public PutResult update(byte[] key, Resolver resolver, Function<byte[], byte[]> fn) {
    GetResult read = get(key);
    List<byte[]> siblings = read.siblings();
    byte[] current = switch (siblings.size()) {
      case 0 -> null;
      case 1 -> siblings.get(0);
      default -> resolver.resolve(siblings);
    };
    byte[] value = Objects.requireNonNull(fn.apply(current), "update function returned null");
    return put(key, value, read.context());
  }

  /** The configured node addresses, in order. */
  public List<String> addresses() {
    return routing.endpoints().stream().map(Endpoint::address).toList();
  }

  /** Shuts the channels down, waiting briefly for calls in flight. */
  @Override
  public void close() {
    routing.endpoints().forEach(e -> e.batch().close());
    List<ManagedChannel> channels = routing.endpoints().stream().map(Endpoint::channel).toList();
    channels.forEach(ManagedChannel::shutdown);
    try {
      for (ManagedChannel c : channels) {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      channels.forEach(ManagedChannel::shutdownNow);
      Thread.currentThread().interrupt();
    } finally {
      transport.close();
    }
  }

  /** The node selector (for tests in this package). */
  NodeSelector selector() {
    return routing.selector();
  }

  /** The ring epoch routed by; -1 while none is known or when not token-aware (tests). */
  long ringEpoch() {
    return ring == null ? -1 : ring.epoch();
  }

  /**
   * A data call: over the node's batch stream unless batching is off, then as the unary RPC.
   *
   * @param kind the answer expected in the batch stream (another is a protocol error)
   */
  private <T> T call(boolean idempotent, byte[] key, Consumer<BatchedRequest.Builder> request,
      ResponseCase kind, Function<BatchedResponse, T> answer,
      BiConsumer<KvStoreStub, StreamObserver<T>> unary) {
    if (!batching) {
      return call(idempotent, key, Attempt.Rpc.unary(unary));
    }
    return call(idempotent, key, (endpoint, timeoutNanos, observer) -> {
      BatchedRequest.Builder b = BatchedRequest.newBuilder();
      request.accept(b);
      return endpoint.batch().send(b.build(), timeoutNanos, r -> {
        if (r.getResponseCase() != kind) {
          throw new IllegalStateException("expected a " + kind + " answer, got "
              + r.getResponseCase());
        }
        return answer.apply(r);
      }, observer);
    });
  }

  /**
   * One MultiGet or MultiPut call, at any node: {@code slot} turns each of the answer's results,
   * in request order, into a KeyResult, given the address of the node that answered.
   *
   * @param sent how many requests the call holds: the answer must hold as many results
   */
  private <M, A, R> List<KeyResult<R>> multi(boolean idempotent, int sent,
      BiConsumer<KvStoreStub, StreamObserver<M>> rpc, Function<M, List<A>> results,
      BiFunction<A, String, KeyResult<R>> slot) {
    Attempt.Answered<M> answer = call(idempotent, null, Attempt.Rpc.unaryFrom(rpc));
    List<A> answers = results.apply(answer.value());
    if (answers.size() != sent) {
      throw KvException.answered(Status.INTERNAL.withDescription("bad answer from the node: "
          + answers.size() + " results for " + sent + " requests").asRuntimeException(),
          answer.address());
    }
    return answers.stream().map(a -> slot.apply(a, answer.address())).toList();
  }

  /** A call; {@code key} null for one that is not about a key (status). */
  private <T> T call(boolean idempotent, byte[] key, Attempt.Rpc<T> rpc) {
    prober.probeDue();
    int[] replicas = ring == null || key == null ? ANY_NODE
        : ring.replicasOf(key, routing.selector().hedgeDelayNanos());
    return new Call<>(routing, rpc, idempotent, replicas).run();
  }

  /** One status request of a {@link RingTracker} round, outside node selection. */
  private void fetchStatus(int node, long timeoutNanos, Consumer<ClusterStatusResponse> answered,
      Runnable failed) {
    routing.endpoints().get(node).stub().withDeadlineAfter(timeoutNanos, TimeUnit.NANOSECONDS)
        .getClusterStatus(STATUS, new StreamObserver<>() {
          private ClusterStatusResponse value;

          @Override
          public void onNext(ClusterStatusResponse v) {
            value = v;
          }

          @Override
          public void onError(Throwable t) {
            failed.run();
          }

          @Override
          public void onCompleted() {
            answered.accept(value);
          }
        });
  }

  /** Configures a {@link KvClient}. Not thread safe. */
  public static final class Builder {
    private List<String> addresses = List.of();
    private Duration timeout = Duration.ofSeconds(5);
    private int maxAttempts;
    private boolean retryWritesOnUnavailable;
    private boolean hedging = true;
    private Duration hedgeMin = Duration.ofMillis(20);
    private Duration hedgeMax = Duration.ofMillis(500);
    private Duration probeInterval = Duration.ofMillis(500);
    private Clock clock = Clock.system();
    private RandomGenerator random = new SplittableRandom();
    private boolean batching = true;
    private boolean tokenAware = true;
    private Path tlsCa;
    private String tlsServerName;
    private String token;

    private Builder() {}

    /**
     * Talk TLS to the nodes, trusting the CA whose PEM certificate is in {@code caPem} (the
     * cluster CA; README.md "Security"). Each node's certificate must name the address dialled,
     * or {@link #tlsServerName}. Default: plaintext.
     */
    public Builder tls(Path caPem) {
      this.tlsCa = caPem;
      return this;
    }

    /** The name the nodes' certificates must carry, when it is not the host dialled. */
    public Builder tlsServerName(String serverName) {
      this.tlsServerName = serverName;
      return this;
    }

    /**
     * A bearer token sent with every call (the node's auth.tokens_file lists its hash and role).
     * Needs {@link #tls}. Default: none.
     */
    public Builder token(String token) {
      if (token != null
          && (token.isBlank() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
        throw new IllegalArgumentException("a token must be printable ASCII without spaces");
      }
      this.token = token;
      return this;
    }

    /**
     * Whether get, put and delete go to a replica of their key (default true), learned from the
     * ring in a status answer: see "Choosing a node" in the class comment. Off, any node gets
     * them and a node that is not a replica forwards the write (one more hop) or asks the
     * replicas remotely. Answers and retry rules are the same either way.
     */
    public Builder tokenAware(boolean tokenAware) {
      this.tokenAware = tokenAware;
      return this;
    }

    /**
     * Whether get, put and delete travel over one multiplexed stream per node (default true):
     * under load many requests then share one network write (kvstore.proto, Batch). Off, each is
     * its own unary RPC. Retries, hedging, deadlines and errors are the same either way.
     * {@code getAll} and {@code putAll} are unary calls either way.
     */
    public Builder batching(boolean batching) {
      this.batching = batching;
      return this;
    }

    /** Node addresses "host:port", at least one. */
    public Builder addresses(List<String> addresses) {
      this.addresses = List.copyOf(addresses);
      return this;
    }

    public Builder addresses(String... addresses) {
      return addresses(List.of(addresses));
    }

    /** The deadline of each attempt (default 5 s). */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Attempts per call, hedges included (default: the number of addresses). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Whether a put or delete that a reachable node answered with UNAVAILABLE (quorum not
     * reached; possibly stored by some replicas) is retried on the next node. Default false.
     * Safe with contexts (at worst a duplicate sibling) but not free: see the class comment.
     */
    public Builder retryWritesOnUnavailable(boolean retry) {
      this.retryWritesOnUnavailable = retry;
      return this;
    }

    /**
     * Whether reads ({@code get}, {@code getAll}, {@code status}) not answered within the hedge
     * delay are also sent to another node (default true). Off, a read waits for its node up to
     * the timeout.
     */
    public Builder hedging(boolean hedging) {
      this.hedging = hedging;
      return this;
    }

    /**
     * Bounds of the hedge delay, which follows the observed latency (default 20 ms to 500 ms).
     * Equal bounds fix it. It never exceeds half the timeout.
     */
    public Builder hedgeDelay(Duration min, Duration max) {
      this.hedgeMin = min;
      this.hedgeMax = max;
      return this;
    }

    /**
     * How often a suspect node is probed (default 500 ms); also how long a node that answered
     * UNAVAILABLE is passed over while others are healthy.
     */
    public Builder probeInterval(Duration interval) {
      this.probeInterval = interval;
      return this;
    }

    /** The time source of node health and hedging (tests). */
    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /** The random source of the two-choice node selection (tests: a seeded one). */
    Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * @throws IllegalArgumentException if there is no address, one is not host:port, the
     *     timeout or probe interval is not positive, the hedge delay bounds are not
     *     {@code 0 < min <= max}, the TLS CA file cannot be used, or a token is given without TLS
     */
    public KvClient build() {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("at least one node address is needed");
      }
      addresses.forEach(HostPort::parse);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      return new KvClient(this, RoutingPolicy.of(timeout, hedging, hedgeMin, hedgeMax,
          probeInterval));
    }
  }
}
