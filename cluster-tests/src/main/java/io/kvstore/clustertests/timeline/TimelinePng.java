package io.kvstore.clustertests.timeline;

import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a run for a person to look at (FAULT-SUITE.md, "Output"): every completed operation as
 * a point at (invocation time in s, latency in ms on a log scale), green when ok, red when
 * failed, orange when indeterminate; fault windows shaded and labelled with the nemesis name;
 * axes, a legend and a title naming the scenario and seed.
 *
 * <p>Uses only {@link BufferedImage} and {@link Graphics2D}, which need no display, so it works
 * in a headless JVM. Thread safety: stateless; the history is snapshotted.
 */
public final class TimelinePng {
  public static final int DEFAULT_WIDTH = 1600;
  public static final int DEFAULT_HEIGHT = 800;
  static final Color OK = new Color(0x2e, 0x9e, 0x3f);
  static final Color FAIL = new Color(0xd6, 0x27, 0x28);
  static final Color INFO = new Color(0xff, 0x8c, 0x00);
  private static final Color[] FAULT = {
    new Color(0x1f, 0x77, 0xb4), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b),
    new Color(0x17, 0xbe, 0xcf), new Color(0x7f, 0x7f, 0x7f), new Color(0xbc, 0xbd, 0x22)
  };

  private TimelinePng() {}

  /** Renders at the default size and writes a PNG. */
  public static void render(History history, Path png) throws IOException {
    render(history, png, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  public static void render(History history, Path png, int width, int height) throws IOException {
    if (!ImageIO.write(image(history, width, height), "png", png.toFile())) {
      throw new IOException("no PNG writer available");
    }
  }

  /** The timeline as an image of the given size (at least 400 x 300). */
  public static BufferedImage image(History history, int width, int height) {
    if (width < 400 || height < 300) {
      throw new IllegalArgumentException("timeline must be at least 400x300, got " + width + "x" + height);
    }
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      new Plot(g, history, width, height).draw();
    } finally {
      g.dispose();
    }
    return img;
  }

  /** One drawing: scales computed from the data, then layers drawn back to front. */
  private static final class Plot {
    private final Graphics2D g;
    private final History h;
    private final List<OpPair> done = new ArrayList<>();
    private final List<FaultWindow> faults;
    private final int left = 90;
    private final int top = 60;
    private final int right;
    private final int bottom;
    private final Scale x;
    private final Scale y;

    Plot(Graphics2D g, History h, int width, int height) {
      this.g = g;
      this.h = h;
      this.right = width - 30;
      this.bottom = height - 60;
      this.faults = h.faults();
      long end = 1;
      double minMs = Double.MAX_VALUE;
      double maxMs = 0;
      for (OpPair p : h.pairs()) {
        if (p.completion() != null) {
          done.add(p);
          double ms = Math.max(p.latencyNanos(), 1) / 1e6;
          minMs = Math.min(minMs, ms);
          maxMs = Math.max(maxMs, ms);
          end = Math.max(end, p.completion().time());
        }
      }
      for (FaultWindow w : faults) {
        end = Math.max(end, w.isOpen() ? w.startNanos() : w.endNanos());
      }
      x = Scale.linear(0, end / 1e9 * 1.02, left, right);
      y = done.isEmpty() ? Scale.log(0.1, 1000, bottom, top) : Scale.log(minMs, maxMs, bottom, top);
    }

    void draw() {
      faultWindows();
      grid();
      points();
      axes();
      legend();
      title();
    }

    private void faultWindows() {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      List<Integer> laneEnds = new ArrayList<>();
      for (FaultWindow w : faults) {
        Color c = color(w.nemesis());
        int x0 = (int) x.at(w.startNanos() / 1e9);
        int x1 = w.isOpen() ? right : Math.max(x0 + 1, (int) x.at(w.endNanos() / 1e9));
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 45));
        g.fillRect(x0, top, x1 - x0, bottom - top);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 160));
        g.drawLine(x0, top, x0, bottom);
        String label = w.nemesis() + (w.isOpen() ? " (never healed)" : "");
        String full = label + ": " + w.description();
        if (!w.description().isEmpty() && g.getFontMetrics().stringWidth(full) < x1 - x0 - 6) {
          label = full;
        }
        int lane = 0;
        while (lane < laneEnds.size() && laneEnds.get(lane) > x0) {
          lane++;
        }
        int textEnd = x0 + 3 + g.getFontMetrics().stringWidth(label);
        if (lane == laneEnds.size()) {
          laneEnds.add(textEnd);
        } else {
          laneEnds.set(lane, textEnd);
        }
        g.setColor(c.darker());
        g.drawString(label, x0 + 3, top + 12 + 13 * lane);
      }
    }

    private void grid() {
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      g.setStroke(new BasicStroke(1));
      for (double t : x.ticks()) {
        int px = (int) x.at(t);
        g.setColor(new Color(0xe6, 0xe6, 0xe6));
        g.drawLine(px, top, px, bottom);
        g.setColor(Color.DARK_GRAY);
        centered(Scale.label(t), px, bottom + 18);
      }
      for (double ms : y.ticks()) {
        int py = (int) y.at(ms);
        g.setColor(new Color(0xe6, 0xe6, 0xe6));
        g.drawLine(left, py, right, py);
        g.setColor(Color.DARK_GRAY);
        String s = Scale.label(ms);
        g.drawString(s, left - 8 - g.getFontMetrics().stringWidth(s), py + 4);
      }
    }

    private void points() {
      for (Op.Type type : List.of(Op.Type.OK, Op.Type.FAIL, Op.Type.INFO)) {
        Color c = color(type);
        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), type == Op.Type.OK ? 140 : 200));
        double r = type == Op.Type.OK ? 2.5 : 3.5;
        for (OpPair p : done) {
          if (p.outcome() == type) {
            double px = x.at(p.start() / 1e9);
            double py = y.at(Math.max(p.latencyNanos(), 1) / 1e6);
            g.fill(new Ellipse2D.Double(px - r, py - r, 2 * r, 2 * r));
          }
        }
      }
    }

    private void axes() {
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1.5f));
      g.drawLine(left, bottom, right, bottom);
      g.drawLine(left, top, left, bottom);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      centered("time since start (s)", (left + right) / 2, bottom + 42);
      AffineTransform saved = g.getTransform();
      g.rotate(-Math.PI / 2);
      centered("latency (ms, log scale)", -(top + bottom) / 2, 22);
      g.setTransform(saved);
    }

    private void legend() {
      long[] n = new long[3];
      for (OpPair p : done) {
        n[p.outcome() == Op.Type.OK ? 0 : p.outcome() == Op.Type.FAIL ? 1 : 2]++;
      }
      List<String> labels = new ArrayList<>(List.of("ok (" + n[0] + ")", "fail (" + n[1] + ")",
          "info / unknown (" + n[2] + ")"));
      List<Color> colors = new ArrayList<>(List.of(OK, FAIL, INFO));
      if (!faults.isEmpty()) {
        labels.add("fault window (" + faults.size() + ")");
        colors.add(new Color(0x1f, 0x77, 0xb4, 70));
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      int w = 0;
      for (String s : labels) {
        w = Math.max(w, g.getFontMetrics().stringWidth(s));
      }
      int boxW = w + 36;
      int boxH = 18 * labels.size() + 10;
      int bx = right - boxW - 8;
      int by = bottom - boxH - 8;
      g.setColor(new Color(255, 255, 255, 225));
      g.fillRect(bx, by, boxW, boxH);
      g.setColor(Color.GRAY);
      g.drawRect(bx, by, boxW, boxH);
      for (int i = 0; i < labels.size(); i++) {
        int cy = by + 14 + 18 * i;
        g.setColor(colors.get(i));
        if (i < 3) {
          g.fill(new Ellipse2D.Double(bx + 10, cy - 5, 10, 10));
        } else {
          g.fillRect(bx + 8, cy - 6, 14, 12);
        }
        g.setColor(Color.BLACK);
        g.drawString(labels.get(i), bx + 28, cy + 4);
      }
    }

    private void title() {
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      String t = h.header().scenario() + "  \u2014  seed " + h.header().seed() + "  \u2014  "
          + done.size() + " ops, " + faults.size() + " faults";
      g.drawString(t, left, 30);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      g.setColor(Color.DARK_GRAY);
      g.drawString("started " + h.header().start(), left, 46);
    }

    private void centered(String s, int cx, int baseline) {
      g.drawString(s, cx - g.getFontMetrics().stringWidth(s) / 2, baseline);
    }
  }

  static Color color(Op.Type outcome) {
    return switch (outcome) {
      case OK -> OK;
      case FAIL -> FAIL;
      default -> INFO;
    };
  }

  static Color color(String nemesis) {
    return FAULT[Math.floorMod(nemesis.toLowerCase(Locale.ROOT).hashCode(), FAULT.length)];
  }
}
