package io.kvstore.node;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.kvstore.proto.AdminGrpc;
import io.kvstore.proto.AntiEntropyGrpc;
import io.kvstore.proto.KvStoreGrpc;
import io.kvstore.proto.ReplicaGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The node's standard gRPC health service: the whole node ("") and each of its services by name
 * report NOT_SERVING from construction until {@link #serving()}, and again from {@link #drain()}
 * (terminal). Served on the node's port and, with {@code health_port}, alone on a second,
 * plaintext port for probes that cannot do TLS. Thread safe.
 */
final class NodeHealth {
  /** The services reported by name, besides the whole node (""). */
  static final List<String> SERVICES = List.of(KvStoreGrpc.SERVICE_NAME,
      ReplicaGrpc.SERVICE_NAME, AntiEntropyGrpc.SERVICE_NAME, AdminGrpc.SERVICE_NAME);

  private final HealthStatusManager manager = new HealthStatusManager();
  private final Server healthPort; // null when health_port is off

  /** {@code port} &lt; 0: no health-only port; 0: any free port. */
  NodeHealth(int port) {
    this.healthPort = port < 0 ? null
        : Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
            .addService(manager.getHealthService())
            .build();
    report(ServingStatus.NOT_SERVING);
  }

  /** The health service, for the node's own port. */
  BindableService service() {
    return manager.getHealthService();
  }

  /** Starts the health-only port, if any. */
  void start() throws IOException {
    if (healthPort != null) {
      healthPort.start();
    }
  }

  /** The health-only port, or -1 when there is none. */
  int port() {
    return healthPort == null ? -1
        : ((InetSocketAddress) healthPort.getListenSockets().getFirst()).getPort();
  }

  void serving() {
    report(ServingStatus.SERVING);
  }

  /** NOT_SERVING for good, for "" and every service: watchers and probes see the drain. */
  void drain() {
    manager.enterTerminalState();
  }

  /** Closes the health-only port (after the drain: it answers NOT_SERVING until then). */
  void close() {
    if (healthPort != null) {
      healthPort.shutdownNow();
    }
  }

  private void report(ServingStatus status) {
    manager.setStatus("", status);
    for (String service : SERVICES) {
      manager.setStatus(service, status);
    }
  }
}
