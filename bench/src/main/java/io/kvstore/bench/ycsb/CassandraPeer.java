package io.kvstore.bench.ycsb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Command line of the Cassandra peer for scripts/ycsb-compare.sh:
 *
 * <pre>
 * CassandraPeer start --dir DIR --nodes N --java JDK17_HOME --classpath-file FILE
 *                     [--heap 1g] [--sync periodic:10000 | batch] [--fields 1]
 *                     [--cql-port 9042] [--storage-port 7000]
 * CassandraPeer stop --dir DIR
 * </pre>
 *
 * {@code start} prints the contact points ("127.0.0.1:9042,...") as its last line of stdout once
 * every node is up and the table exists; progress goes to stderr. Exit status 1 on failure
 * (the nodes started so far are stopped).
 */
public final class CassandraPeer {
  private CassandraPeer() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help")) {
      System.out.println("usage: CassandraPeer start --dir DIR --nodes N --java JDK17_HOME"
          + " --classpath-file FILE [--heap 1g] [--sync periodic:10000|batch] [--fields 1]"
          + " [--cql-port 9042] [--storage-port 7000]\n"
          + "       CassandraPeer stop --dir DIR");
      return;
    }
    Map<String, String> opts = options(args);
    Path dir = Path.of(required(opts, "--dir"));
    switch (args[0]) {
      case "start" -> start(opts, dir);
      case "stop" -> CassandraCluster.stop(dir, System.err);
      default -> fail("unknown command '" + args[0] + "' (start, stop)");
    }
  }

  private static void start(Map<String, String> opts, Path dir) throws Exception {
    CassandraJvm jvm = CassandraJvm.of(Path.of(required(opts, "--java")),
        Path.of(required(opts, "--classpath-file")), opts.getOrDefault("--heap", "1g"));
    try {
      List<java.net.InetSocketAddress> points = CassandraCluster.start(jvm, dir,
          Integer.parseInt(required(opts, "--nodes")),
          periodicMillis(opts.getOrDefault("--sync", "periodic:10000")),
          new CassandraNodeConfig.Ports(Integer.parseInt(opts.getOrDefault("--cql-port", "9042")),
              Integer.parseInt(opts.getOrDefault("--storage-port", "7000"))),
          Integer.parseInt(opts.getOrDefault("--fields", "1")), System.err);
      System.out.println(points.stream().map(a -> a.getHostString() + ":" + a.getPort())
          .collect(Collectors.joining(",")));
    } catch (IOException | RuntimeException e) {
      System.err.println("cassandra: " + e.getMessage());
      CassandraCluster.stop(dir, System.err);
      System.exit(1);
    }
  }

  /** "periodic:MILLIS" gives MILLIS, "batch" gives 0 (see {@link CassandraNodeConfig}). */
  static long periodicMillis(String sync) {
    if (sync.equals("batch")) {
      return 0;
    }
    if (sync.startsWith("periodic:")) {
      long millis = Long.parseLong(sync.substring("periodic:".length()));
      if (millis > 0) {
        return millis;
      }
    }
    throw new IllegalArgumentException("--sync must be periodic:MILLIS or batch, got '" + sync + "'");
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 1; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        fail("expected --option VALUE at '" + args[i] + "'");
      }
      opts.put(args[i], args[i + 1]);
    }
    return opts;
  }

  private static String required(Map<String, String> opts, String name) {
    String v = opts.get(name);
    if (v == null) {
      fail("missing " + name);
    }
    return v;
  }

  private static void fail(String message) {
    System.err.println("CassandraPeer: " + message);
    System.exit(2);
  }
}
