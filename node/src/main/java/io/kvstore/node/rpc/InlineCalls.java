package io.kvstore.node.rpc;

import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.ReplicaGrpc;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which calls the server runs on the transport (Netty event loop) thread that read their
 * messages, instead of handing each message to the server's executor: the request streams of the
 * data path ({@code KvStore.Batch}, {@code Replica.ReplicaBatch}). Their handlers do not wait on
 * the network (replication is asynchronous) or on an fsync (that runs on the sync executor); they
 * do the local work of a request (a memtable insert and commit-log append, or a read from the
 * memtable, block cache or page cache) and go back to reading. Handing every message to another
 * thread and every answer back cost more than that work: on a 2-core machine the two thread
 * switches per message halved the throughput of one client stream.
 *
 * <p>What still blocks an event loop: a read that misses the page cache (a disk read) and a write
 * while the engine stalls writers (too many memtables or level-0 tables waiting for background
 * work); connections served by the same loop wait meanwhile. Everything else (unary calls,
 * MultiGet/MultiPut, gossip, anti-entropy, admin) keeps the executor. A stream's first message is
 * still started on the executor (gRPC starts every call there).
 */
public final class InlineCalls implements ServerCallExecutorSupplier {
  private static final Set<String> INLINE = Stream.of(KvStoreGrpc.getBatchMethod(),
          ReplicaGrpc.getReplicaBatchMethod())
      .map(MethodDescriptor::getFullMethodName).collect(Collectors.toUnmodifiableSet());

  @Override
  public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata headers) {
    return INLINE.contains(call.getMethodDescriptor().getFullMethodName())
        ? MoreExecutors.directExecutor() : null;
  }

  /** Whether calls of {@code fullMethodName} run inline (tests). */
  static boolean inline(String fullMethodName) {
    return INLINE.contains(fullMethodName);
  }
}
