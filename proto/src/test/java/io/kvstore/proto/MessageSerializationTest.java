package io.kvstore.proto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every wire message serializes and parses back unchanged, a reader tolerates (and keeps)
 * fields added by a newer writer, and the services expose the method names clients rely on.
 */
class MessageSerializationTest {

  static Stream<Message> everyMessage() {
    ByteString key = ByteString.copyFromUtf8("user:42");
    ByteString blob = ByteString.copyFrom(new byte[] {0, 1, (byte) 0xff, 127});
    return Stream.of(
        GetRequest.newBuilder().setKey(key).setOptions(ReadOptions.newBuilder().setR(3).setPr(1)).build(),
        GetResponse.newBuilder().setFound(true).setContext(blob).setReplies(3)
            .addSiblings(Sibling.newBuilder().setValue(blob))
            .addSiblings(Sibling.newBuilder().setValue(ByteString.EMPTY)).build(),
        GetResponse.newBuilder().setDeleted(true).setContext(blob).setReplies(2).build(),
        PutRequest.newBuilder().setKey(key).setValue(blob).setContext(blob)
            .setOptions(WriteOptions.newBuilder().setW(3).setPw(2)).build(),
        PutResponse.newBuilder().setContext(blob).setAcks(2).build(),
        DeleteRequest.newBuilder().setKey(key).setContext(blob)
            .setOptions(WriteOptions.newBuilder().setW(1)).build(),
        DeleteResponse.newBuilder().setAcks(3).build(),
        ClusterStatusRequest.getDefaultInstance(),
        ClusterStatusResponse.newBuilder().setNodeId("n2")
            .addMembers(Member.newBuilder().setNodeId("n2").setAddress("10.0.0.2:7000")
                .setStatus(MemberStatus.MEMBER_STATUS_UNKNOWN).setPartitionsOwned(85)
                .setIncarnation(Long.MAX_VALUE).setIsSelf(true))
            .addMembers(Member.newBuilder().setNodeId("n3").setAddress("10.0.0.3:7000")
                .setStatus(MemberStatus.MEMBER_STATUS_DOWN).setIncarnation(2).setPhi(12.75)
                .setLastHeartbeatAgeMillis(6_200).setHeartbeatVersion(340).setConvictions(1))
            .setRing(RingInfo.newBuilder().setPartitionCount(256).setEpoch(9))
            .setDefaults(ReplicationDefaults.newBuilder().setN(3).setR(2).setW(2)).build(),
        ReplicaReadRequest.newBuilder().setKey(key).build(),
        ReplicaReadResponse.newBuilder().setSiblingSet(blob).setPresent(true).build(),
        ReplicaWriteRequest.newBuilder().setKey(key).setSiblingSet(blob)
            .setCoordinatorNodeId("n1").setHintedFor("n3").build(),
        ReplicaWriteResponse.newBuilder().setSiblingSet(blob).build(),
        PingRequest.newBuilder().setFromNodeId("n1").setFromGeneration(4).setSeq(77).build(),
        PingResponse.newBuilder().setFromNodeId("n2").setFromGeneration(2).setSeq(77).build(),
        GossipRequest.newBuilder().addEndpoints(GossipEndpoint.newBuilder().setNodeId("n1")
            .setAddress("10.0.0.1:7000").setGeneration(4).setHeartbeatVersion(1_000)
            .setStatus(GossipMemberStatus.GOSSIP_MEMBER_STATUS_NORMAL).setRingEpoch(1)).build(),
        GossipResponse.newBuilder().addEndpoints(GossipEndpoint.newBuilder().setNodeId("n2")
            .setAddress("10.0.0.2:7000").setGeneration(2).setHeartbeatVersion(9)
            .setStatus(GossipMemberStatus.GOSSIP_MEMBER_STATUS_SHUTDOWN)).build(),
        NodeInfoRequest.getDefaultInstance(),
        NodeInfo.newBuilder().setNodeId("n1").setIncarnation(3).setAddress("127.0.0.1:7001")
            .setDataDir("/var/lib/kvstore/n1").setUptimeMillis(86_400_000L)
            .setVersion("0.1.0-SNAPSHOT").build(),
        LocalVersionsRequest.newBuilder().setKey(key).build(),
        LocalVersionsResponse.newBuilder().setSiblingSet(blob).setPresent(true)
            .setVectorClock("{n1.3:7, n2.1:4}")
            .addSiblings(LocalSibling.newBuilder().setValue(blob).setDot("n1.3:7"))
            .addSiblings(LocalSibling.newBuilder().setTombstone(true).setDot("n2.1:4")).build());
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void serializesAndParsesBackUnchanged(Message message) throws InvalidProtocolBufferException {
    Message parsed = message.getParserForType().parseFrom(message.toByteArray());
    assertEquals(message, parsed);
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void toleratesAndKeepsFieldsFromANewerWriter(Message message) throws IOException {
    // A newer writer appends field 1000 (a string) that this reader does not know.
    ByteArrayOutputStream extra = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(extra);
    out.writeString(1000, "from the future");
    out.flush();
    byte[] newer = concat(message.toByteArray(), extra.toByteArray());

    Message parsed = message.getParserForType().parseFrom(newer);

    UnknownFieldSet unknown = parsed.getUnknownFields();
    assertTrue(unknown.hasField(1000));
    assertEquals(message, parsed.toBuilder().setUnknownFields(UnknownFieldSet.getDefaultInstance()).build());
    assertArrayEquals(newer, parsed.toByteArray(), "re-serialization keeps the unknown field");
  }

  @Test
  void servicesExposeTheDocumentedMethods() {
    assertEquals(List.of("Get", "Put", "Delete", "GetClusterStatus", "Batch", "MultiGet", "MultiPut"),
        methods(KvStoreGrpc.getServiceDescriptor()));
    assertEquals(List.of("ReplicaRead", "ReplicaWrite", "CoordinatePut", "CoordinateDelete",
            "Ping", "Gossip", "ReplicaBatch"),
        methods(ReplicaGrpc.getServiceDescriptor()));
    assertEquals(List.of("GetNodeInfo", "GetLocalVersions", "Repair"),
        methods(AdminGrpc.getServiceDescriptor()));
    assertEquals(List.of("Roots", "Branches", "Leaves", "SegmentKeys", "Sync", "RequestRepair"),
        methods(AntiEntropyGrpc.getServiceDescriptor()));
    assertEquals("kvstore.v1.KvStore", KvStoreGrpc.SERVICE_NAME);
  }

  private static List<String> methods(ServiceDescriptor service) {
    return service.getMethods().stream().map(MethodDescriptor::getBareMethodName).toList();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
