package io.kvstore.clustertests.harness;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.testcontainers.DockerClientFactory;

/**
 * Decides whether the container suite can run: without a Docker engine it is skipped with a
 * message saying how to enable it, unless {@code KV_REQUIRE_DOCKER=1} (set by CI), which turns
 * the skip into a failure.
 */
public final class DockerGate {
  private DockerGate() {}

  public static void requireDocker() {
    boolean available;
    try {
      available = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      available = false;
    }
    String how = "the fault-injection suite needs a Docker engine: start dockerd, build the base"
        + " image with scripts/build-base-image.sh (or pass -Dkv.baseImage=eclipse-temurin:21-jre"
        + " if you can pull from a registry), then rerun";
    if ("1".equals(System.getenv("KV_REQUIRE_DOCKER"))) {
      if (!available) {
        fail("KV_REQUIRE_DOCKER=1 but no Docker engine is reachable; " + how);
      }
    } else {
      assumeTrue(available, how);
    }
  }
}
