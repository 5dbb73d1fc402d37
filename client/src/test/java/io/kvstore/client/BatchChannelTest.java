package io.kvstore.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's batch stream against a fake node on a real localhost port. */
class BatchChannelTest {
  private final FakeKvStore server = new FakeKvStore();

  @AfterEach
  void stop() {
    server.close();
  }

  private KvClient client(Duration timeout) {
    return KvClient.builder().addresses(server.address()).timeout(timeout).hedging(false).build();
  }

  @Test
  void concurrentCallersShareMessagesAndEachGetsItsOwnAnswer() throws Exception {
    int threads = 16;
    int perThread = 300;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (KvClient c = client(Duration.ofSeconds(10))) {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            byte[] key = ("t" + thread + "-" + i).getBytes(UTF_8);
            PutResult put = c.put(key, ("v" + thread + "/" + i).getBytes(UTF_8), Context.EMPTY);
            GetResult got = c.get(key);
            assertEquals(List.of("v" + thread + "/" + i), got.siblings().stream()
                .map(v -> new String(v, UTF_8)).toList());
            assertEquals(put.context(), got.context());
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    int requests = server.batchRequests.get();
    assertEquals(threads * perThread * 2, requests);
    assertTrue(server.batchMessages.get() < requests, "no two requests ever shared a message: "
        + server.batchMessages.get() + " messages for " + requests + " requests");
    assertEquals(0, server.gets.size() - requests / 2, "every get went over the stream");
  }

  @Test
  void aRequestTheNodeDoesNotAnswerTimesOutAloneAndIsCancelledAtTheNode() throws Exception {
    try (KvClient c = client(Duration.ofMillis(300))) {
      c.put("before".getBytes(UTF_8), "x".getBytes(UTF_8), Context.EMPTY);
      server.pause();
      long start = System.nanoTime();
      KvException e = assertThrows(KvException.class,
          () -> c.put("k".getBytes(UTF_8), "v".getBytes(UTF_8), Context.EMPTY));
      long tookMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.grpcCode());
      assertTrue(tookMs >= 250 && tookMs < 3000, "took " + tookMs + " ms");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (server.batchCancels.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, server.batchCancels.size(), "the node was told to drop the request");
      server.resume();
      // The stream is still usable: the cancelled put is dropped at the node, the next works.
      c.put("after".getBytes(UTF_8), "y".getBytes(UTF_8), Context.EMPTY);
      assertEquals(List.of("y"), c.get("after".getBytes(UTF_8)).siblings().stream()
          .map(v -> new String(v, UTF_8)).toList());
      assertEquals(0, c.get("k".getBytes(UTF_8)).siblings().size());
    }
  }

  @Test
  void anErrorAnswerKeepsItsCodeMessageAndNotAppliedMark() {
    io.grpc.Metadata trailers = new io.grpc.Metadata();
    trailers.put(io.grpc.Metadata.Key.of("kv-not-applied", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
        "1");
    server.failWith("put", Status.UNAVAILABLE.withDescription("quorum not reachable: test"),
        trailers);
    server.failWith("delete", Status.UNAVAILABLE.withDescription("quorum not reached: test"));
    try (FakeKvStore healthy = new FakeKvStore();
        KvClient c = KvClient.builder().addresses(server.address(), healthy.address())
            .timeout(Duration.ofSeconds(2)).random(() -> 0L).build()) {
      // Not applied: a write may move on to the next node, which takes it.
      c.put("k".getBytes(UTF_8), "v".getBytes(UTF_8), Context.EMPTY);
      assertEquals(1, server.puts.size());
      assertEquals(1, healthy.puts.size());
    }
    try (KvClient c = client(Duration.ofSeconds(2))) {
      KvException e = assertThrows(KvException.class,
          () -> c.delete("k".getBytes(UTF_8), Context.EMPTY));
      assertEquals(Status.Code.UNAVAILABLE, e.grpcCode());
      assertTrue(e.getMessage().contains("quorum not reached: test"), e.getMessage());
    }
  }
}
