package io.kvstore.clustertests.timeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryHeader;
import io.kvstore.clustertests.history.ManualClock;
import io.kvstore.clustertests.history.Op;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelinePngTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  /**
   * A 60 s run of 5 clients: ~1-20 ms ok ops, failures during a partition (20-30 s), 1 s
   * timeouts during a crash (40-45 s).
   */
  static History syntheticRun(long seed) {
    Random rnd = new Random(seed);
    ManualClock clock = new ManualClock();
    History h = new History(new HistoryHeader(seed, "set-add/partition+crash",
        Instant.parse("2025-03-01T10:00:00Z")), clock);
    int[] process = new int[5];
    Arrays.setAll(process, i -> h.newProcess());
    FaultWindow partition = null;
    FaultWindow crash = null;
    for (long ms = 0; ms < 60_000; ms += 20) {
      clock.advanceMillis(20);
      if (ms == 20_000) {
        partition = h.faultStarted("partition", "n1,n2 | n3,n4,n5");
      } else if (ms == 30_000) {
        h.faultEnded(partition);
      } else if (ms == 40_000) {
        crash = h.faultStarted("crash", "kill -9 n3");
      } else if (ms == 45_000) {
        h.faultEnded(crash);
      }
      int c = rnd.nextInt(5);
      Op inv = h.invoke(process[c], Op.F.ADD, "k" + c, Long.toString(ms), "n" + (c + 1));
      boolean partitioned = ms >= 20_000 && ms < 30_000 && c < 2;
      boolean crashed = ms >= 40_000 && ms < 45_000 && c == 2;
      if (crashed && rnd.nextInt(3) == 0) {
        clock.advanceMillis(1000);
        h.info(inv, "deadline exceeded");
        process[c] = h.newProcess();
      } else if (partitioned) {
        clock.advanceNanos((long) (rnd.nextDouble() * 3e6));
        h.fail(inv, "quorum not reached: 1 of W=2 replicas acked");
      } else {
        clock.advanceNanos((long) (Math.exp(rnd.nextGaussian() * 0.8 + 1.2) * 1e6));
        h.ok(inv, Completion.NONE.withAcks(2));
      }
    }
    return h;
  }

  @Test
  void writesAValidPngOfTheRequestedSize(@TempDir Path dir) throws IOException {
    Path png = dir.resolve("timeline.png");
    TimelinePng.render(syntheticRun(11), png, 1200, 600);
    byte[] bytes = Files.readAllBytes(png);
    assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 8));
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1200, img.getWidth());
    assertEquals(600, img.getHeight());
  }

  @Test
  void pointsAreColoredByOutcomeAndFaultsShaded() throws IOException {
    History h = syntheticRun(12);
    BufferedImage img = TimelinePng.image(h, TimelinePng.DEFAULT_WIDTH, TimelinePng.DEFAULT_HEIGHT);
    assertTrue(hasColorNear(img, TimelinePng.OK, 0, img.getWidth()), "no ok points");
    assertTrue(hasColorNear(img, TimelinePng.FAIL, 0, img.getWidth()), "no fail points");
    assertTrue(hasColorNear(img, TimelinePng.INFO, 0, img.getWidth()), "no info points");
    // The partition (20..30 s of ~62 s) is shaded: a pixel near the plot's vertical middle there
    // is not white.
    int x = 90 + (int) ((1600 - 30 - 90) * 25.0 / (h.ops().get(h.ops().size() - 1).time() / 1e9 * 1.02));
    assertTrue(img.getRGB(x, 400) != Color.WHITE.getRGB(), "partition not shaded");
    Path out = Path.of("target", "timeline-sample.png");
    Files.createDirectories(out.getParent());
    ImageIO.write(img, "png", out.toFile());
  }

  @Test
  void rendersInAHeadlessJvm(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("headless.png");
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(javaBin.toString(), "-Djava.awt.headless=true", "-Xmx128m",
        "-cp", System.getProperty("java.class.path"), HeadlessRenderMain.class.getName(),
        png.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "child JVM failed: " + out);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getWidth());
    assertEquals(400, img.getHeight());
  }

  @Test
  void anEmptyHistoryStillRenders() {
    History h = new History(new HistoryHeader(0, "empty", Instant.EPOCH), new ManualClock());
    h.faultStarted("pause", "n2");
    BufferedImage img = TimelinePng.image(h, 400, 300);
    assertEquals(400, img.getWidth());
  }

  @Test
  void tinyImagesAreRefused() {
    History h = new History(new HistoryHeader(0, "empty", Instant.EPOCH), new ManualClock());
    assertThrows(IllegalArgumentException.class, () -> TimelinePng.image(h, 100, 100));
  }

  @Test
  void ticksAreRoundNumbers() {
    assertEquals(List.of(0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0), Scale.linear(0, 85, 0, 100).ticks());
    assertEquals(List.of("0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1", "1.1"),
        Scale.linear(0, 1.1, 0, 100).ticks().stream().map(Scale::label).toList());
    assertEquals(List.of(0.1, 1.0, 10.0, 100.0, 1000.0),
        roundAll(Scale.log(0.3, 500, 100, 0).ticks()));
    List<Double> decades = Scale.log(1, 1000, 100, 0).ticks();
    assertEquals(10000.0, decades.get(decades.size() - 1), 1e-6, "a point at 1000 ms is not drawn on the edge");
    assertEquals("0.5", Scale.label(0.5));
    assertEquals("1000", Scale.label(1000));
  }

  private static List<Double> roundAll(List<Double> xs) {
    List<Double> out = new ArrayList<>();
    xs.forEach(x -> out.add(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", x))));
    return out;
  }

  private static boolean hasColorNear(BufferedImage img, Color c, int x0, int x1) {
    for (int x = x0; x < x1; x++) {
      for (int y = 0; y < img.getHeight(); y++) {
        Color p = new Color(img.getRGB(x, y));
        if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen())
            + Math.abs(p.getBlue() - c.getBlue()) < 40) {
          return true;
        }
      }
    }
    return false;
  }
}
