package io.kvstore.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.AntiEntropyGrpc;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.ReplicaGrpc;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only the data path's request streams run on the transport thread; everything that may block
 * for long (gossip, anti-entropy, admin, multi-key calls, unary calls) keeps the executor.
 */
class InlineCallsTest {
  @Test
  void onlyTheDataStreamsRunInline() {
    assertTrue(InlineCalls.inline(KvStoreGrpc.getBatchMethod().getFullMethodName()));
    assertTrue(InlineCalls.inline(ReplicaGrpc.getReplicaBatchMethod().getFullMethodName()));
    long inline = Stream.of(KvStoreGrpc.getServiceDescriptor(), ReplicaGrpc.getServiceDescriptor(),
            AntiEntropyGrpc.getServiceDescriptor(), AdminGrpc.getServiceDescriptor())
        .map(ServiceDescriptor::getMethods).flatMap(m -> m.stream())
        .map(MethodDescriptor::getFullMethodName).filter(InlineCalls::inline).count();
    assertEquals(2, inline, "methods run inline");
    assertFalse(InlineCalls.inline(ReplicaGrpc.getGossipMethod().getFullMethodName()));
    assertFalse(InlineCalls.inline(KvStoreGrpc.getMultiGetMethod().getFullMethodName()));
  }
}
