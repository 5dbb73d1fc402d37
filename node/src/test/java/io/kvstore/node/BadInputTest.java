package io.kvstore.node;

import static io.kvstore.node.ReplicatedStoreTest.bytes;
import static io.kvstore.node.ReplicatedStoreTest.get;
import static io.kvstore.node.ReplicatedStoreTest.put;
import static io.kvstore.node.ReplicatedStoreTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kvstore.proto.DeleteRequest;
import io.kvstore.proto.GetRequest;
import io.kvstore.proto.PutRequest;
import io.kvstore.proto.ReadOptions;
import io.kvstore.proto.WriteOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input is refused with INVALID_ARGUMENT naming the problem, and changes nothing. */
class BadInputTest {
  @TempDir static Path root;
  static TestCluster c;
  static final byte[] KEY = bytes("stable");

  @BeforeAll
  static void start() throws Exception {
    c = new TestCluster(root, 3, "limits.max_value_bytes=1000", "limits.max_siblings=3",
        "limits.warn_siblings=2");
    put(c, 0, KEY, "original", ByteString.EMPTY, 3);
  }

  @AfterAll
  static void stop() {
    c.close();
  }

  @Test
  void emptyAndOversizedKeys() {
    invalid("key must not be empty", () -> put(c, 0, new byte[0], "v", ByteString.EMPTY, 0));
    invalid("key is 1025 bytes; the limit is 1024", () -> put(c, 0, new byte[1025], "v",
        ByteString.EMPTY, 0));
    invalid("key is 1025 bytes", () -> get(c, 0, new byte[1025], 0));
    assertFalse(c.local(c.replicas(new byte[1025]).getFirst(), new byte[1024]).getPresent());
  }

  @Test
  void oversizedValue() {
    invalid("value is 1001 bytes; the limit is 1000", () -> c.kv(1).put(PutRequest.newBuilder()
        .setKey(ByteString.copyFrom(KEY)).setValue(ByteString.copyFrom(new byte[1001])).build()));
    unchanged();
  }

  @Test
  void malformedContexts() {
    for (ByteString ctx : List.of(ByteString.copyFromUtf8("garbage"),
        ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
        get(c, 0, KEY, 0).getContext().substring(1))) {
      invalid("malformed context", () -> put(c, 0, KEY, "evil", ctx, 0));
    }
    unchanged();
  }

  @Test
  void quorumsLargerThanNOrAbsurd() {
    invalid("r must be between 1 and N=3, got 4", () -> get(c, 0, KEY, 4));
    invalid("w must be between 1 and N=3, got 5", () -> put(c, 0, KEY, "x", ByteString.EMPTY, 5));
    invalid("pw must be between 1 and N=3", () -> c.kv(0).put(PutRequest.newBuilder()
        .setKey(ByteString.copyFrom(KEY)).setValue(ByteString.copyFromUtf8("x"))
        .setOptions(WriteOptions.newBuilder().setPw(9)).build()));
    invalid("pr must be between 1 and N=3", () -> c.kv(0).get(GetRequest.newBuilder()
        .setKey(ByteString.copyFrom(KEY)).setOptions(ReadOptions.newBuilder().setPr(-1)).build()));
    unchanged();
  }

  @Test
  void deleteWithoutAContext() {
    invalid("delete needs the context", () -> c.kv(2).delete(DeleteRequest.newBuilder()
        .setKey(ByteString.copyFrom(KEY)).build()));
    unchanged();
  }

  @Test
  void tooManySiblingsIsFailedPreconditionAndTheResolvingWriteIsAccepted() {
    byte[] key = bytes("crowded");
    for (int i = 0; i < 3; i++) {
      put(c, 0, key, "s" + i, ByteString.EMPTY, 3);
    }
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> put(c, 0, key, "s3", ByteString.EMPTY, 3));
    assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    assertTrue(e.getStatus().getDescription().contains("resolve the siblings"),
        e.getStatus().getDescription());
    assertEquals(3, values(get(c, 1, key, 3)).size());
    put(c, 0, key, "resolved", get(c, 1, key, 3).getContext(), 3);
    assertEquals(List.of("resolved"), values(get(c, 2, key, 3)));
  }

  private static void unchanged() {
    assertEquals(List.of("original"), values(get(c, 2, KEY, 3)));
    for (int i = 0; i < 3; i++) {
      assertEquals(1, c.local(i, KEY).getSiblingsCount(), "node " + i);
    }
  }

  private static void invalid(String message, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
    assertTrue(e.getStatus().getDescription().contains(message),
        "expected '" + message + "' in: " + e.getStatus().getDescription());
  }
}
