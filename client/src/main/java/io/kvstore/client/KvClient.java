package io.kvstore.client;

import com.google.protobuf.ByteString;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvstore.proto.ClusterStatusRequest;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.DeleteResponse;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.GetResponse;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.KvStoreGrpc.KvStoreBlockingStub;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.PutResponse;
import io.kvstore.proto.Sibling;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Client of a kvstore cluster over gRPC (plaintext). Any node coordinates any request, so the
 * client keeps one channel per configured address and spreads calls over them round-robin.
 *
 * <p><b>Retries.</b> A call tries up to {@code maxAttempts} nodes (default: each address once),
 * starting at the next node in round-robin order:
 *
 * <ul>
 *   <li>a node that cannot be reached (connection refused, unknown host, no route: the request
 *       never left the client) is always skipped for the next one, for reads and writes alike;
 *   <li>reads and {@link #status()} also move on after an UNAVAILABLE answer (quorum not
 *       reached), as another coordinator may see more replicas;
 *   <li>a put or delete that a node answered with UNAVAILABLE may have been stored by the
 *       replicas that acked, so by default it is <em>not</em> retried and the error is thrown.
 *       Retrying it with the same context would be safe in Dynamo semantics (if the first
 *       attempt landed, the retry adds at worst a sibling with the same value, which the next
 *       write with a read context resolves); {@link Builder#retryWritesOnUnavailable} opts in.
 *   <li>nothing is retried after DEADLINE_EXCEEDED, INVALID_ARGUMENT, FAILED_PRECONDITION or
 *       RESOURCE_EXHAUSTED (an overloaded cluster needs backoff, not more requests).
 * </ul>
 *
 * <p><b>Deadlines.</b> Every attempt carries a gRPC deadline of {@code timeout}, which the
 * coordinator propagates to the replicas; a call making several attempts can therefore take up
 * to {@code maxAttempts * timeout} (an unreachable node normally fails fast).
 *
 * <p>Thread safe: share one instance. {@link #close()} shuts the channels down.
 */
public final class KvClient implements AutoCloseable {
  private record Node(String address, ManagedChannel channel, KvStoreBlockingStub stub) {}

  private final List<Node> nodes;
  private final Duration timeout;
  private final int maxAttempts;
  private final boolean retryWritesOnUnavailable;
  private final AtomicInteger next = new AtomicInteger();

  private KvClient(Builder b) {
    List<Node> list = new ArrayList<>();
    for (String address : b.addresses) {
      HostPort hp = HostPort.parse(address);
      ManagedChannel channel = Grpc.newChannelBuilderForAddress(
          hp.host(), hp.port(), InsecureChannelCredentials.create())
          .userAgent("kvstore-client").build();
      list.add(new Node(address.strip(), channel, KvStoreGrpc.newBlockingStub(channel)));
    }
    this.nodes = List.copyOf(list);
    this.timeout = b.timeout;
    this.maxAttempts = b.maxAttempts > 0 ? b.maxAttempts : nodes.size();
    this.retryWritesOnUnavailable = b.retryWritesOnUnavailable;
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
    GetRequest req = GetRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setOptions(options.toProto()).build();
    GetResponse r = call(true, stub -> stub.get(req));
    List<byte[]> siblings = r.getSiblingsList().stream().map(Sibling::getValue)
        .map(ByteString::toByteArray).toList();
    return new GetResult(r.getFound(), siblings, r.getDeleted(),
        Context.of(r.getContext().toByteArray()), r.getReplies());
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
    PutRequest req = PutRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setValue(ByteString.copyFrom(value)).setContext(ByteString.copyFrom(context.toBytes()))
        .setOptions(options.toProto()).build();
    PutResponse r = call(false, stub -> stub.put(req));
    return new PutResult(Context.of(r.getContext().toByteArray()), r.getAcks());
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
    DeleteResponse r = call(false, stub -> stub.delete(req));
    return new DeleteResult(r.getAcks());
  }

  /** The cluster as the answering node sees it. */
  public ClusterStatus status() {
    return ClusterStatus.fromProto(
        call(true, stub -> stub.getClusterStatus(ClusterStatusRequest.getDefaultInstance())));
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
    return nodes.stream().map(Node::address).toList();
  }

  /** Shuts the channels down, waiting briefly for calls in flight. */
  @Override
  public void close() {
    nodes.forEach(n -> n.channel().shutdown());
    try {
      for (Node n : nodes) {
        if (!n.channel().awaitTermination(5, TimeUnit.SECONDS)) {
          n.channel().shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      nodes.forEach(n -> n.channel().shutdownNow());
      Thread.currentThread().interrupt();
    }
  }

  private <T> T call(boolean idempotent, Function<KvStoreBlockingStub, T> rpc) {
    int start = Math.floorMod(next.getAndIncrement(), nodes.size());
    List<String> unreachable = new ArrayList<>();
    StatusRuntimeException lastConnectFailure = null;
    KvException lastAnswer = null;
    for (int attempt = 0; attempt < maxAttempts; attempt++) {
      Node node = nodes.get((start + attempt) % nodes.size());
      try {
        return rpc.apply(node.stub().withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS));
      } catch (StatusRuntimeException e) {
        if (Unreachable.test(e.getStatus())) {
          unreachable.add(node.address());
          lastConnectFailure = e;
          continue;
        }
        KvException failure = KvException.answered(e, node.address());
        boolean retry = e.getStatus().getCode() == Status.Code.UNAVAILABLE
            && (idempotent || retryWritesOnUnavailable);
        if (!retry) {
          throw failure;
        }
        lastAnswer = failure;
      }
    }
    if (lastAnswer != null) {
      throw lastAnswer;
    }
    throw KvException.unreachable(unreachable, lastConnectFailure);
  }

  /** Configures a {@link KvClient}. Not thread safe. */
  public static final class Builder {
    private List<String> addresses = List.of();
    private Duration timeout = Duration.ofSeconds(5);
    private int maxAttempts;
    private boolean retryWritesOnUnavailable;

    private Builder() {}

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

    /** Nodes tried per call (default: the number of addresses). */
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
     * @throws IllegalArgumentException if there is no address, one is not host:port, or the
     *     timeout is not positive
     */
    public KvClient build() {
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("at least one node address is needed");
      }
      addresses.forEach(HostPort::parse);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      return new KvClient(this);
    }
  }
}
