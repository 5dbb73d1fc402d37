package io.kvstore.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.client.FakeKvStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** kv bench over a fake server: progress lines, then a percentile report. */
class BenchTest {

  @Test
  void aTwoSecondRunReportsThroughputAndPercentilesForReadsWritesAndAll() throws Exception {
    try (FakeKvStore server = new FakeKvStore()) {
      CliRunner.Run r = new CliRunner(Map.of()).run("--nodes", server.address(), "bench",
          "--duration", "2s", "--keys", "50", "--value-size", "16", "--read-ratio", "0.5",
          "--concurrency", "2", "--preload", "--seed", "42");
      assertEquals(0, r.code(), r.toString());
      String out = r.out();
      assertTrue(out.contains("seed 42"), out);
      assertTrue(out.contains("preload: 50 keys written"), out);
      assertTrue(out.lines().filter(l -> l.startsWith("[run ")).count() >= 2, out);
      assertTrue(out.contains("p50 us") && out.contains("p99.9 us"), out);
      for (String row : new String[] {"read ", "write ", "all "}) {
        String line = out.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
        long count = Long.parseLong(line.trim().split(" +")[1]);
        assertTrue(count > 0, line);
      }
      assertTrue(out.contains("errors by status: none"), out);
      assertTrue(out.lines().anyMatch(l -> l.startsWith("throughput: ")), out);
      // Writes after the preload carry a context (the preload read every key).
      long blindAfterPreload = server.puts.stream().skip(50)
          .filter(p -> p.getContext().isEmpty()).count();
      assertEquals(0, blindAfterPreload);
    }
  }

  @Test
  void errorsAreCountedByStatusCode() throws Exception {
    try (FakeKvStore server = new FakeKvStore()) {
      server.failWith("put", io.grpc.Status.RESOURCE_EXHAUSTED);
      CliRunner.Run r = new CliRunner(Map.of()).run("--nodes", server.address(), "bench",
          "--duration", "1s", "--warmup", "500ms", "--keys", "10", "--concurrency", "2",
          "--read-ratio", "0.5");
      assertEquals(0, r.code(), r.toString());
      assertTrue(r.out().contains("[warmup "), r.out());
      assertTrue(r.out().matches("(?s).*errors by status: RESOURCE_EXHAUSTED=\\d+.*"), r.out());
    }
  }
}
