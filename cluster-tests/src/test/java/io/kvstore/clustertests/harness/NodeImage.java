package io.kvstore.clustertests.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The node image, built once per test JVM from the base image ({@code KV_BASE_IMAGE} or
 * {@code -Dkv.baseImage}, default {@code eclipse-temurin:21-jre}; a local base image is used as
 * is, never pulled) plus the node jar and the supervisor script.
 */
public final class NodeImage {
  private static ImageFromDockerfile image;

  private NodeImage() {}

  public static synchronized ImageFromDockerfile get(Path repo) {
    if (image == null) {
      Path jar = repo.resolve("node/target/kvstore-node.jar");
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: build with ./mvnw -pl node -am package");
      }
      String base = System.getProperty("kv.baseImage",
          System.getenv().getOrDefault("KV_BASE_IMAGE", "eclipse-temurin:21-jre"));
      image = new ImageFromDockerfile("kvstore-node-test", false)
          .withFileFromClasspath("Dockerfile", "docker/Dockerfile")
          .withFileFromClasspath("supervisor.sh", "docker/supervisor.sh")
          .withFileFromPath("kvstore-node.jar", jar)
          .withBuildArg("BASE", base);
    }
    return image;
  }

}
