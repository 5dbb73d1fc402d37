package io.kvstore.clustertests.kubernetes;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.kvstore.clustertests.kubernetes.Pod.PodFile;
import io.kvstore.clustertests.kubernetes.Pod.Probe;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.ExecConfig;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * Runs one {@link Pod} in Docker as the kubelet would run it: the pod's command and args over the
 * image's entry point, its env, its volume files at their mount paths, a named Docker volume per
 * claim (named after the claim, {@code <template>-<pod>}, so it outlives the container as a
 * PersistentVolumeClaim outlives its pod), hostname the pod name and network alias its
 * headless-Service name, its user, fsGroup and memory/CPU limits. {@link #stop} is the kubelet's
 * stop: SIGTERM, then SIGKILL after the grace period. Not thread safe.
 */
public final class PodContainer implements AutoCloseable {
  private final Pod pod;
  private final ImageFromDockerfile image;
  private final Network network;
  private final String volumePrefix;
  private GenericContainer<?> container;

  public PodContainer(Pod pod, ImageFromDockerfile image, Network network, String volumePrefix) {
    this.pod = pod;
    this.image = image;
    this.network = network;
    this.volumePrefix = volumePrefix;
  }

  public Pod pod() {
    return pod;
  }

  /** Creates and starts a new container of the pod (the claims' volumes are kept). */
  @SuppressWarnings("resource")
  public void start() {
    GenericContainer<?> c = new GenericContainer<>(image)
        .withNetwork(network)
        .withNetworkAliases(pod.fqdn())
        .withEnv(pod.env())
        .withExposedPorts(pod.ports().values().toArray(Integer[]::new))
        .waitingFor(new AbstractWaitStrategy() { // readiness is awaited by the probe instead
          @Override
          protected void waitUntilReady() {}
        })
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withHostName(pod.name());
          if (pod.user() != null) {
            cmd.withUser(pod.user());
          }
          if (pod.command() != null) {
            cmd.withEntrypoint(pod.command());
            cmd.withCmd(pod.args() == null ? List.of() : pod.args());
          } else if (pod.args() != null) {
            cmd.withCmd(pod.args());
          }
          List<Bind> binds = new ArrayList<>();
          pod.claims().forEach((claim, path) ->
              binds.add(new Bind(volume(claim), new Volume(path))));
          cmd.getHostConfig().withBinds(binds);
          if (pod.fsGroup() >= 0) {
            cmd.getHostConfig().withGroupAdd(List.of(String.valueOf(pod.fsGroup())));
          }
          if (pod.memoryLimit() > 0) {
            cmd.getHostConfig().withMemory(pod.memoryLimit()).withMemorySwap(pod.memoryLimit());
          }
          if (pod.nanoCpus() > 0) {
            cmd.getHostConfig().withNanoCPUs(pod.nanoCpus());
          }
        });
    for (PodFile f : pod.files()) {
      c.withCopyToContainer(new OwnedFile(f.content(), f.mode(), f.gid()), f.path());
    }
    container = c;
    c.start();
  }

  /** The Docker volume of {@code claim} for this pod ({@code <template>-<pod>}). */
  public String volume(String claim) {
    return volumePrefix + claim + "-" + pod.name();
  }

  /** Waits until the readiness probe answers SERVING; fails early if the container exits. */
  public void awaitReady(Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    ServingStatus last = null;
    String error = null;
    while (System.nanoTime() < end) {
      if (!container.isRunning()) {
        throw new IllegalStateException(pod.name() + " exited; log:\n" + logs());
      }
      try {
        last = check(pod.readiness());
        if (last == ServingStatus.SERVING) {
          return;
        }
      } catch (StatusRuntimeException e) {
        error = e.getStatus().toString();
      }
      sleep(200);
    }
    throw new IllegalStateException(pod.name() + " not ready within " + timeout + " (last: "
        + last + ", " + error + "); log:\n" + logs());
  }

  /** grpc.health.v1.Health/Check of the probe's service on its port, plaintext, as kubelet. */
  public ServingStatus check(Probe probe) {
    ManagedChannel ch = Grpc.newChannelBuilder(address(probe.port()),
        InsecureChannelCredentials.create()).build();
    try {
      return HealthGrpc.newBlockingStub(ch).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(probe.service()).build())
          .getStatus();
    } finally {
      ch.shutdownNow();
    }
  }

  /** host:port of the container's port as this JVM reaches it. */
  public String address(int containerPort) {
    return container.getHost() + ":" + container.getMappedPort(containerPort);
  }

  /**
   * Stops the container as the kubelet stops a pod: SIGTERM, SIGKILL after the grace period.
   * Returns the exit code (143 for a JVM that ended on SIGTERM, 137 if it had to be killed).
   */
  public long stop() {
    DockerClient docker = DockerClientFactory.instance().client();
    docker.stopContainerCmd(container.getContainerId()).withTimeout(pod.graceSeconds()).exec();
    return docker.inspectContainerCmd(container.getContainerId()).exec().getState()
        .getExitCodeLong();
  }

  /** Everything the container printed (stdout and stderr), running or stopped. */
  public String logs() {
    return container.getLogs();
  }

  /** Runs {@code command} in the container (as `kubectl exec` would), with extra env. */
  public ExecResult exec(Map<String, String> env, String... command) {
    try {
      return container.execInContainer(ExecConfig.builder().command(command).envVars(env)
          .build());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Removes the container (not its volumes). */
  @Override
  public void close() {
    if (container != null) {
      container.stop();
      container = null;
    }
  }

  /** Removes the claims' volumes; call after {@link #close}. */
  public void removeVolumes() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (String claim : pod.claims().keySet()) {
      try {
        docker.removeVolumeCmd(volume(claim)).exec();
      } catch (RuntimeException e) {
        System.err.println("could not remove volume " + volume(claim) + ": " + e);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
