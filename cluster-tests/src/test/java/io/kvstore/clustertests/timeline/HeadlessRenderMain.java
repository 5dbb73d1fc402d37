package io.kvstore.clustertests.timeline;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;

/**
 * Run by {@link TimelinePngTest} in a child JVM with {@code -Djava.awt.headless=true}: renders
 * the synthetic run to the path in args[0], exits 2 if the JVM was not headless after all.
 */
public final class HeadlessRenderMain {
  private HeadlessRenderMain() {}

  public static void main(String[] args) throws Exception {
    if (!GraphicsEnvironment.isHeadless()) {
      System.exit(2);
    }
    TimelinePng.render(TimelinePngTest.syntheticRun(3), Path.of(args[0]), 800, 400);
  }
}
