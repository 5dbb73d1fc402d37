package io.kvstore.client;

import static io.kvstore.client.TestClients.client;
import static io.kvstore.client.TestClients.firstChoice;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.kvstore.proto.MultiGetRequest;
import io.kvstore.proto.MultiPutRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * getAll and putAll against fake servers on localhost: one result per key in request order, a
 * failing key failing alone, lists split into calls of 1,000, argument checks, and the retry and
 * hedging rules of a read and a write.
 */
class MultiKeyTest {
  private FakeKvStore server;

  @BeforeEach
  void start() {
    server = new FakeKvStore();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<String> texts(GetResult r) {
    return r.siblings().stream().map(v -> new String(v, UTF_8)).sorted().toList();
  }

  private static List<Write> blindWrites(int count) {
    return IntStream.range(0, count).mapToObj(i -> new Write(b("k" + i), b("v" + i),
        Context.EMPTY)).toList();
  }

  private static List<byte[]> keys(int count) {
    return IntStream.range(0, count).mapToObj(i -> b("k" + i)).toList();
  }

  @Test
  void putAllThenGetAllAnswerEachKeyInRequestOrderInOneCallEach() {
    try (KvClient c = client(server.address())) {
      List<KeyResult<PutResult>> written = c.putAll(blindWrites(5), new WriteOptions(3, 1));
      assertEquals(5, written.size());
      written.forEach(r -> {
        assertTrue(r.ok());
        assertNull(r.error());
        assertEquals(2, r.value().acks());
      });
      assertEquals(1, server.multiPuts.size());
      MultiPutRequest sent = server.multiPuts.get(0);
      for (int i = 0; i < 5; i++) {
        assertEquals("k" + i, sent.getPuts(i).getKey().toStringUtf8());
        assertEquals("v" + i, sent.getPuts(i).getValue().toStringUtf8());
        assertTrue(sent.getPuts(i).getContext().isEmpty(), "Context.EMPTY: a blind write");
        assertEquals(3, sent.getPuts(i).getOptions().getW());
        assertEquals(1, sent.getPuts(i).getOptions().getPw());
      }

      List<byte[]> keys = new ArrayList<>(keys(5).reversed());
      keys.add(b("missing"));
      List<KeyResult<GetResult>> read = c.getAll(keys, new ReadOptions(2, 1));
      assertEquals(6, read.size());
      for (int i = 0; i < 5; i++) {
        GetResult r = read.get(i).value();
        assertEquals(List.of("v" + (4 - i)), texts(r), "result " + i);
        assertEquals(written.get(4 - i).value().context(), r.context());
      }
      assertFalse(read.get(5).value().found(), "a missing key is not an error");
      assertEquals(1, server.multiGets.size());
      MultiGetRequest asked = server.multiGets.get(0);
      assertEquals("missing", asked.getGets(5).getKey().toStringUtf8());
      assertEquals(2, asked.getGets(0).getOptions().getR());
      assertEquals(1, asked.getGets(0).getOptions().getPr());
      assertEquals(0, server.batchRequests.get(), "multi-key calls are unary, not batched");
      assertThrows(UnsupportedOperationException.class, () -> read.remove(0));
    }
  }

  @Test
  void aFailingKeyFailsAloneAndItsResultThrowsTheNodesErrorWithItsAddress() {
    server.failKey(ByteString.copyFromUtf8("k1"),
        Status.FAILED_PRECONDITION.withDescription("too many siblings"));
    try (KvClient c = client(server.address())) {
      List<KeyResult<PutResult>> written = c.putAll(blindWrites(3));
      assertTrue(written.get(0).ok());
      assertTrue(written.get(2).ok());
      KeyResult<PutResult> failed = written.get(1);
      assertFalse(failed.ok());
      KvException e = assertThrows(KvException.class, failed::value);
      assertSame(failed.error(), e);
      assertEquals(KvException.Code.FAILED_PRECONDITION, e.code());
      assertEquals(Status.Code.FAILED_PRECONDITION, e.grpcCode());
      assertEquals("too many siblings", e.description());
      assertEquals(server.address(), e.address());
      assertFalse(e.unreachable());
      assertTrue(e.getMessage().startsWith("FAILED_PRECONDITION: too many siblings (node "),
          e.getMessage());

      server.failKey(ByteString.copyFromUtf8("k1"),
          Status.UNAVAILABLE.withDescription("quorum not reached"));
      List<KeyResult<GetResult>> read = c.getAll(keys(3));
      assertEquals(List.of("v0"), texts(read.get(0).value()));
      assertEquals(List.of("v2"), texts(read.get(2).value()));
      assertEquals(KvException.Code.UNAVAILABLE, read.get(1).error().code());
      assertEquals(server.address(), read.get(1).error().address());
      assertEquals(1, server.multiGets.size(), "a failed key is not retried by the client");
    }
  }

  @Test
  void moreThan1000KeysAreSentAsCallsOf1000OneAfterTheOtherAndAnsweredInOrder() {
    try (KvClient c = client(server.address())) {
      List<KeyResult<PutResult>> written = c.putAll(blindWrites(2500));
      assertEquals(List.of(1000, 1000, 500), server.multiPuts.stream()
          .map(MultiPutRequest::getPutsCount).toList());
      assertEquals("k1000", server.multiPuts.get(1).getPuts(0).getKey().toStringUtf8());

      List<KeyResult<GetResult>> read = c.getAll(keys(2500));
      assertEquals(List.of(1000, 1000, 500), server.multiGets.stream()
          .map(MultiGetRequest::getGetsCount).toList());
      assertEquals(2500, read.size());
      for (int i = 0; i < 2500; i++) {
        assertEquals(List.of("v" + i), texts(read.get(i).value()), "key " + i);
        assertEquals(written.get(i).value().context(), read.get(i).value().context());
      }
    }
  }

  @Test
  void emptyListsReturnEmptyListsWithoutACall() {
    try (KvClient c = client(server.address())) {
      assertEquals(List.of(), c.getAll(List.of()));
      assertEquals(List.of(), c.putAll(List.of()));
    }
    assertEquals(0, server.multiGets.size() + server.multiPuts.size());
    assertEquals(0, server.gets.size() + server.puts.size() + server.statusCalls.size());
  }

  @Test
  void nullsAreRefusedNamingTheirIndexBeforeAnythingIsSent() {
    try (KvClient c = client(server.address())) {
      NullPointerException key = assertThrows(NullPointerException.class,
          () -> c.getAll(Arrays.asList(b("a"), null)));
      assertEquals("keys[1] is null", key.getMessage());
      List<Write> writes = new ArrayList<>(blindWrites(1500));
      writes.set(1200, null);
      NullPointerException write = assertThrows(NullPointerException.class,
          () -> c.putAll(writes));
      assertEquals("writes[1200] is null", write.getMessage());
      assertEquals("keys", assertThrows(NullPointerException.class, () -> c.getAll(null))
          .getMessage());
      assertEquals("options", assertThrows(NullPointerException.class,
          () -> c.putAll(blindWrites(1), null)).getMessage());
    }
    assertEquals(0, server.multiGets.size() + server.multiPuts.size(),
        "not even the first 1,000 writes were sent");
    assertEquals("value", assertThrows(NullPointerException.class,
        () -> new Write(b("k"), null, Context.EMPTY)).getMessage());
    assertTrue(assertThrows(NullPointerException.class,
        () -> new Write(b("k"), b("v"), null)).getMessage().startsWith("context"));
  }

  @Test
  void readsAndWritesMoveOnFromANodeThatCannotBeReached() {
    try (KvClient c = firstChoice(FakeKvStore.closedAddress(), server.address()).build()) {
      assertTrue(c.putAll(blindWrites(2)).stream().allMatch(KeyResult::ok));
      assertTrue(c.getAll(keys(2)).stream().allMatch(r -> r.value().found()));
      assertEquals(1, server.multiPuts.size(), "the write reached the live node exactly once");
      assertEquals(1, server.multiGets.size());
      assertEquals(NodeHealth.Rank.SUSPECT, c.selector().rank(0));
    }
  }

  @Test
  void aReadAnsweredUnavailableAsAWholeMovesOnAndAWriteOnlyWhenNothingWasApplied() {
    // A fresh client for each case: a node that answered UNAVAILABLE is passed over afterwards.
    try (FakeKvStore other = new FakeKvStore()) {
      Status quorum = Status.UNAVAILABLE.withDescription("quorum not reached");
      server.failWith("multiGet", quorum);
      try (KvClient c = firstChoice(server.address(), other.address()).build()) {
        assertEquals(2, c.getAll(keys(2)).size());
      }
      assertEquals(1, server.multiGets.size());
      assertEquals(1, other.multiGets.size(), "a read moves on after UNAVAILABLE");

      server.failWith("multiPut", quorum);
      try (KvClient c = firstChoice(server.address(), other.address()).build()) {
        KvException e = assertThrows(KvException.class, () -> c.putAll(blindWrites(2)));
        assertEquals(KvException.Code.UNAVAILABLE, e.code());
        assertEquals(server.address(), e.address());
      }
      assertEquals(1, server.multiPuts.size());
      assertEquals(0, other.multiPuts.size(), "a possibly applied write is sent once");

      Metadata notApplied = new Metadata();
      notApplied.put(Attempt.NOT_APPLIED, "1");
      server.failWith("multiPut", quorum, notApplied);
      try (KvClient c = firstChoice(server.address(), other.address()).build()) {
        assertTrue(c.putAll(blindWrites(2)).stream().allMatch(KeyResult::ok));
      }
      assertEquals(2, server.multiPuts.size());
      assertEquals(1, other.multiPuts.size(), "nothing was applied: safe to send elsewhere");
    }
  }

  @Test
  void aReadIsHedgedToAnotherNodeAndAWriteThatTimesOutIsNotRetried() {
    try (FakeKvStore other = new FakeKvStore();
        KvClient c = firstChoice(server.address(), other.address())
            .timeout(Duration.ofMillis(500)).hedgeDelay(Duration.ofMillis(50),
                Duration.ofMillis(50)).build()) {
      server.delay(Duration.ofSeconds(2));
      long start = System.nanoTime();
      List<KeyResult<GetResult>> read = c.getAll(keys(1));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertFalse(read.get(0).value().found());
      assertEquals(1, server.multiGets.size());
      assertEquals(1, other.multiGets.size(), "hedged to the other node, which answered");
      assertTrue(millis < 450, "answered before the first node's deadline: " + millis + " ms");

      other.delay(Duration.ofSeconds(2));
      KvException e = assertThrows(KvException.class, () -> c.putAll(blindWrites(1)));
      assertEquals(KvException.Code.DEADLINE_EXCEEDED, e.code());
      assertEquals(1, server.multiPuts.size() + other.multiPuts.size(), "a write is sent once");
    }
  }
}
