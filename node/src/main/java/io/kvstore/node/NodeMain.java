package io.kvstore.node;

import io.kvstore.node.config.ConfigException;
import io.kvstore.node.config.ConfigLoader;
import io.kvstore.node.config.NodeConfig;
import io.kvstore.lsm.LsmException;
import io.kvstore.node.store.DataDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The node's entry point: {@code java -jar kvstore-node.jar --config node.yaml [overrides]}. */
@Command(
    name = "kvstore-node",
    mixinStandardHelpOptions = true,
    version = "kvstore-node 0.1.0",
    description = {
      "Runs one kvstore node: a replica of the keys it owns and a coordinator for any request.",
      "Settings come from a YAML file (--config) with command-line overrides; see README.md."
    })
public final class NodeMain implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path config;

  @Option(names = "--node-id", description = "Overrides node_id.")
  String nodeId;

  @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides listen.")
  String listen;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides data_dir.")
  String dataDir;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Overrides metrics_port (-1 off, 0 any free port).")
  Integer metricsPort;

  @Option(names = "--health-port", paramLabel = "PORT",
      description = "Overrides health_port: a plaintext gRPC port serving only the health service,"
          + " for probes (-1 off, 0 any free port).")
  Integer healthPort;

  @Option(names = "--members", paramLabel = "ID@HOST:PORT,...",
      description = "Overrides cluster.members, e.g. n1@127.0.0.1:7001,n2@127.0.0.1:7002.")
  String members;

  @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
      description = "Overrides any setting by its dotted name, e.g. --set cluster.n=3.")
  List<String> overrides = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new NodeMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<String> all = new ArrayList<>();
    add(all, "node_id", nodeId);
    add(all, "listen", listen);
    add(all, "data_dir", dataDir);
    add(all, "metrics_port", metricsPort == null ? null : metricsPort.toString());
    add(all, "health_port", healthPort == null ? null : healthPort.toString());
    add(all, "cluster.members", members);
    all.addAll(overrides);
    NodeConfig cfg;
    try {
      cfg = ConfigLoader.load(config, all);
    } catch (ConfigException e) {
      System.err.println("error: config: " + e.getMessage());
      return 2;
    }
    Node node;
    try {
      node = Node.start(cfg);
    } catch (ConfigException e) {
      System.err.println("error: config: " + e.getMessage());
      return 2;
    } catch (DataDirectoryException | LsmException e) {
      System.err.println("error: data directory: " + e.getMessage());
      return 2;
    } catch (java.io.IOException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    System.out.println("kvstore node " + cfg.nodeId().id() + " listening on port " + node.port()
        + (cfg.security().tls() ? " (TLS)" : " (plaintext)")
        + (node.healthPort() >= 0 ? ", health on port " + node.healthPort() : "")
        + (node.metricsPort() >= 0 ? ", metrics on http port " + node.metricsPort() : ""));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }

  private static void add(List<String> out, String key, String value) {
    if (value != null) {
      out.add(key + "=" + value);
    }
  }
}
