package io.kvstore.bench.ycsb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The command line of one Cassandra 5.0 node as its own JVM (JDK 17): the GC and module flags
 * of Cassandra's conf/jvm17-server.options, the jamm agent (Cassandra measures memtable sizes
 * with it), logging to a file, and {@code cassandra-foreground} (without it the daemon closes
 * its stdout and stderr).
 *
 * <p>An immutable value.
 */
record CassandraJvm(Path javaHome, String classpath, String heap) {
  /** From conf/jvm17-server.options (GC settings and the JPMS section), Cassandra 5.0. */
  private static final List<String> JVM17_SERVER_OPTIONS = List.of(
      "-XX:+UseG1GC", "-XX:+ParallelRefProcEnabled", "-XX:MaxTenuringThreshold=1",
      "-XX:G1HeapRegionSize=16m", "-XX:G1RSetUpdatingPauseTimePercent=5",
      "-XX:MaxGCPauseMillis=300", "-XX:InitiatingHeapOccupancyPercent=70",
      "-Djdk.attach.allowAttachSelf=true",
      "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
      "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
      "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
      "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
      "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
      "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
      "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
      "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
      "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.base/java.io=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
      "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/java.util=ALL-UNNAMED",
      "-Dio.netty.tryReflectionSetAccessible=true",
      "-Dio.netty.allocator.useCacheForAllThreads=true", "-Dio.netty.allocator.maxOrder=11");

  /** The classpath written by {@code dependency:build-classpath} of bench/cassandra/pom.xml. */
  static CassandraJvm of(Path javaHome, Path classpathFile, String heap) throws IOException {
    return new CassandraJvm(javaHome, Files.readString(classpathFile).strip(), heap);
  }

  /** The command starting the node whose files are in {@code node.dir()}. */
  List<String> command(CassandraNodeConfig node) {
    Path dir = node.dir();
    List<String> cmd = new ArrayList<>(List.of(javaHome.resolve("bin/java").toString(),
        "-Xmx" + heap, "-Xss256k", "-XX:+ExitOnOutOfMemoryError",
        "-Djava.net.preferIPv4Stack=true", "-javaagent:" + jamm(),
        "-Dcassandra-foreground=yes",
        "-Dcassandra.config=" + dir.resolve("cassandra.yaml").toUri(),
        "-Dcassandra.logdir=" + dir, "-Dcassandra.storagedir=" + dir,
        "-Dlogback.configurationFile=" + dir.resolve("logback.xml"),
        "-Dcassandra.skip_wait_for_gossip_to_settle=0"));
    cmd.addAll(JVM17_SERVER_OPTIONS);
    cmd.addAll(List.of("-cp", classpath, "org.apache.cassandra.service.CassandraDaemon"));
    return cmd;
  }

  private String jamm() {
    return Arrays.stream(classpath.split(java.io.File.pathSeparator))
        .filter(p -> Path.of(p).getFileName().toString().startsWith("jamm-")).findFirst()
        .orElseThrow(() -> new IllegalStateException("no jamm jar on the Cassandra classpath"));
  }
}
