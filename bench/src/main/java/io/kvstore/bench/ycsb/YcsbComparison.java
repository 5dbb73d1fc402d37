package io.kvstore.bench.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The comparison tables of scripts/ycsb-compare.sh: reads the YCSB outputs named
 * {@code TOPOLOGY.SYSTEM.WORKLOAD.tTHREADS.out} (SYSTEM kvstore or cassandra) in a directory,
 * and writes, per topology and run, both systems' throughput and p99 latencies with the ratios
 * kvstore / Cassandra: {@code comparison.tsv} (machine-readable) and {@code comparison.md}
 * (printed too).
 *
 * <p>Usage: {@code YcsbComparison RAW_DIR OUT_DIR}.
 */
public final class YcsbComparison {
  private static final List<String> WORKLOADS = List.of("load", "a", "b", "c", "write");
  static final String TSV_HEADER = "topology\tworkload\tthreads\tkvstore_ops_s\tcassandra_ops_s"
      + "\tops_ratio\tkvstore_read_p99_us\tcassandra_read_p99_us\tread_p99_ratio"
      + "\tkvstore_write_p99_us\tcassandra_write_p99_us\twrite_p99_ratio"
      + "\tkvstore_errors\tcassandra_errors";

  /** One run of both systems: its name parts and each side's result (null: not run or failed). */
  record Row(String topology, String workload, int threads, YcsbResult kvstore,
      YcsbResult cassandra) {}

  private YcsbComparison() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: YcsbComparison RAW_DIR OUT_DIR");
      System.exit(2);
    }
    List<Row> rows = rows(Path.of(args[0]));
    Path out = Path.of(args[1]);
    Files.writeString(out.resolve("comparison.tsv"), tsv(rows));
    String md = markdown(rows);
    Files.writeString(out.resolve("comparison.md"), md);
    System.out.print(md);
  }

  static List<Row> rows(Path raw) throws IOException {
    Map<String, YcsbResult[]> runs = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(raw)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(".out")).toList();
    }
    for (Path f : files) {
      String[] n = f.getFileName().toString().split("\\.");
      if (n.length != 5) {
        continue;
      }
      String key = n[0] + "." + n[2] + "." + n[3];
      int side = n[1].equals("kvstore") ? 0 : 1;
      try {
        runs.computeIfAbsent(key, k -> new YcsbResult[2])[side] =
            YcsbResult.parse(Files.readAllLines(f));
      } catch (IllegalArgumentException e) {
        System.err.println(f.getFileName() + ": " + e.getMessage());
      }
    }
    List<Row> rows = new ArrayList<>();
    runs.forEach((key, r) -> {
      String[] k = key.split("\\.");
      rows.add(new Row(k[0], k[1], Integer.parseInt(k[2].substring(1)), r[0], r[1]));
    });
    rows.sort(Comparator.comparing(Row::topology)
        .thenComparing((Row r) -> r.threads(), Comparator.reverseOrder())
        .thenComparing(r -> WORKLOADS.indexOf(r.workload())));
    return rows;
  }

  static String tsv(List<Row> rows) {
    StringBuilder b = new StringBuilder(TSV_HEADER).append('\n');
    for (Row r : rows) {
      b.append(String.join("\t", r.topology(), r.workload(), Integer.toString(r.threads()),
          num(ops(r.kvstore())), num(ops(r.cassandra())), ratio(ops(r.kvstore()), ops(r.cassandra())),
          num(read(r.kvstore())), num(read(r.cassandra())), ratio(read(r.kvstore()), read(r.cassandra())),
          num(write(r.kvstore())), num(write(r.cassandra())),
          ratio(write(r.kvstore()), write(r.cassandra())),
          r.kvstore() == null ? "" : Long.toString(r.kvstore().errors()),
          r.cassandra() == null ? "" : Long.toString(r.cassandra().errors()))).append('\n');
    }
    return b.toString();
  }

  static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    String topology = null;
    for (Row r : rows) {
      if (!r.topology().equals(topology)) {
        topology = r.topology();
        b.append("\n### ").append(topology).append("\n\n| workload | threads | kvstore ops/s"
            + " | Cassandra ops/s | kv / C* | read p99 kv | read p99 C* | kv / C* | write p99 kv"
            + " | write p99 C* | kv / C* | errors kv / C* |\n"
            + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      }
      b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |%n",
          r.workload(), r.threads(), grouped(ops(r.kvstore())), grouped(ops(r.cassandra())),
          ratioX(ops(r.kvstore()), ops(r.cassandra())), millis(read(r.kvstore())),
          millis(read(r.cassandra())), ratioX(read(r.kvstore()), read(r.cassandra())),
          millis(write(r.kvstore())), millis(write(r.cassandra())),
          ratioX(write(r.kvstore()), write(r.cassandra())),
          r.kvstore() == null ? "-" : r.kvstore().errors(),
          r.cassandra() == null ? "-" : r.cassandra().errors()));
    }
    return b.toString();
  }

  private static double ops(YcsbResult r) {
    return r == null ? -1 : r.throughput();
  }

  private static double read(YcsbResult r) {
    return r == null ? -1 : r.p99("READ");
  }

  /** The p99 of the run's writes: updates, else inserts. */
  private static double write(YcsbResult r) {
    if (r == null) {
      return -1;
    }
    double update = r.p99("UPDATE");
    return update >= 0 ? update : r.p99("INSERT");
  }

  private static String num(double v) {
    return v < 0 ? "" : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String ratio(double a, double b) {
    return a < 0 || b <= 0 ? "" : String.format(Locale.ROOT, "%.3f", a / b);
  }

  private static String ratioX(double a, double b) {
    return a < 0 || b <= 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String grouped(double v) {
    return v < 0 ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String millis(double micros) {
    return micros < 0 ? "-" : String.format(Locale.ROOT, "%.1f ms", micros / 1000);
  }
}
