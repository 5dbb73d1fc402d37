package io.kvstore.clustertests.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The production node image, built once per test JVM from the same context scripts/image.sh
 * gives docker build: every file of deploy/docker plus node/target/kvstore-node.jar and
 * client/target/kv.jar, with build argument BASE from {@code -Dkv.baseImage} or
 * {@code KV_BASE_IMAGE} (default eclipse-temurin:21-jre, as the fault suite's image).
 */
public final class ProductionImage {
  private static ImageFromDockerfile image;

  private ProductionImage() {}

  public static synchronized ImageFromDockerfile get(Path repo) {
    if (image == null) {
      ImageFromDockerfile img = new ImageFromDockerfile("kvstore-production-test", false);
      for (Path file : contextFiles(repo)) {
        img.withFileFromPath(file.getFileName().toString(), file);
      }
      String base = System.getProperty("kv.baseImage",
          System.getenv().getOrDefault("KV_BASE_IMAGE", "eclipse-temurin:21-jre"));
      image = img.withBuildArg("BASE", base);
    }
    return image;
  }

  private static List<Path> contextFiles(Path repo) {
    Path node = repo.resolve("node/target/kvstore-node.jar");
    Path kv = repo.resolve("client/target/kv.jar");
    for (Path jar : List.of(node, kv)) {
      if (!Files.exists(jar)) {
        throw new IllegalStateException(jar + " is missing: build with ./mvnw -pl node,client -am"
            + " package -DskipTests");
      }
    }
    try (Stream<Path> files = Files.list(repo.resolve("deploy/docker"))) {
      return Stream.concat(files.filter(Files::isRegularFile).sorted(), Stream.of(node, kv))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
