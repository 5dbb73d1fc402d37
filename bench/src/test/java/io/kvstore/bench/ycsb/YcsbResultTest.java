package io.kvstore.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YcsbResultTest {
  /** The end of a real YCSB 0.17 run (hdrhistogram), abridged. */
  static final String RUN_A = """
      [OVERALL], RunTime(ms), 10269
      [OVERALL], Throughput(ops/sec), 3789.171292238777
      [TOTAL_GCs], Count, 7
      [READ], Operations, 19649
      [READ], AverageLatency(us), 10064.5
      [READ], 95thPercentileLatency(us), 40000
      [READ], 99thPercentileLatency(us), 99647
      [READ], Return=OK, 19640
      [READ], Return=NOT_FOUND, 2
      [READ], Return=ERROR, 7
      [READ-FAILED], Operations, 7
      [READ-FAILED], 99thPercentileLatency(us), 5000000
      [CLEANUP], Operations, 64
      [CLEANUP], 99thPercentileLatency(us), 61471
      [UPDATE], Operations, 19262
      [UPDATE], 99thPercentileLatency(us), 155775
      [UPDATE], Return=OK, 19262
      """;

  @Test
  void parsesThroughputP99AndErrorsButNotFailedSeriesOrCleanup() {
    YcsbResult r = YcsbResult.parse(RUN_A.lines().toList());
    assertEquals(3789.171292238777, r.throughput());
    assertEquals(99647, r.p99("READ"));
    assertEquals(155775, r.p99("UPDATE"));
    assertEquals(-1, r.p99("INSERT"));
    assertEquals(7, r.errors(), "NOT_FOUND is no error; READ-FAILED is not counted twice");
    assertNull(r.ops().get("CLEANUP"));
  }

  @Test
  void aRunWithoutOverallThroughputFailed() {
    assertThrows(IllegalArgumentException.class,
        () -> YcsbResult.parse(List.of("Error initializing datastore bindings.")));
  }

  @Test
  void comparisonPairsTheSystemsAndComputesRatios(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("1node.kvstore.a.t64.out"), RUN_A);
    Files.writeString(dir.resolve("1node.cassandra.a.t64.out"), RUN_A.replace("3789.171292238777", "1894.585646119388")
        .replace("99647", "49823.5"));
    Files.writeString(dir.resolve("1node.kvstore.c.t1.out"), RUN_A);
    List<YcsbComparison.Row> rows = YcsbComparison.rows(dir);
    assertEquals(2, rows.size());
    assertEquals("a", rows.getFirst().workload(), "64 threads before 1");
    String tsv = YcsbComparison.tsv(rows);
    assertEquals(YcsbComparison.TSV_HEADER, tsv.lines().findFirst().orElseThrow());
    String[] a = tsv.lines().skip(1).findFirst().orElseThrow().split("\t", -1);
    assertEquals(List.of("1node", "a", "64", "3789.2", "1894.6", "2.000", "99647.0", "49823.5",
        "2.000", "155775.0", "155775.0", "1.000", "7", "7"), List.of(a));
    String[] c = tsv.lines().skip(2).findFirst().orElseThrow().split("\t", -1);
    assertEquals("", c[4], "no Cassandra run: no figure, no ratio");
    assertEquals("", c[5]);
    assertTrue(YcsbComparison.markdown(rows).contains("| a | 64 | 3,789 | 1,895 | 2.00x |"));
  }
}
