package io.kvstore.clustertests.timeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Maps a data range onto a pixel range, linearly or logarithmically (base 10), and picks
 * readable tick values: 1/2/5 x 10^k steps for linear axes, decades for log axes.
 *
 * <p>Thread safety: immutable value. Invariants: lo &lt; hi; for a log scale lo &gt; 0.
 */
final class Scale {
  private final double lo;
  private final double hi;
  private final double p0;
  private final double p1;
  private final boolean log;

  private Scale(double lo, double hi, double p0, double p1, boolean log) {
    this.lo = lo;
    this.hi = hi;
    this.p0 = p0;
    this.p1 = p1;
    this.log = log;
  }

  /** Values lo..hi onto pixels p0..p1 (p1 &lt; p0 for an upward y axis). */
  static Scale linear(double lo, double hi, double p0, double p1) {
    return new Scale(lo, hi > lo ? hi : lo + 1, p0, p1, false);
  }

  /** Values min..max on a log scale, widened by half a step each way, then to whole decades. */
  static Scale log(double min, double max, double p0, double p1) {
    double lo = Math.pow(10, Math.floor(Math.log10(Math.max(min / 1.5, 1e-3))));
    double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max * 1.5, lo * 10))));
    if (hi <= lo) {
      hi = lo * 10;
    }
    return new Scale(lo, hi, p0, p1, true);
  }

  /** The pixel of value v (values outside the range map outside the pixel range). */
  double at(double v) {
    double f = log
        ? (Math.log10(Math.max(v, lo / 10)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
        : (v - lo) / (hi - lo);
    return p0 + f * (p1 - p0);
  }

  List<Double> ticks() {
    List<Double> t = new ArrayList<>();
    if (log) {
      for (double v = lo; v <= hi * 1.0001; v *= 10) {
        t.add(v);
      }
      return t;
    }
    double raw = (hi - lo) / 10;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double step = raw / mag < 1.5 ? mag : raw / mag < 3.5 ? 2 * mag : raw / mag < 7.5 ? 5 * mag : 10 * mag;
    for (long i = (long) Math.ceil(lo / step); i * step <= hi + step * 1e-9; i++) {
      t.add(i * step);
    }
    return t;
  }

  /** A short label: "0.01", "0.5", "2", "1000". */
  static String label(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e12) {
      return Long.toString((long) v);
    }
    String s = String.format(Locale.ROOT, "%.3f", v);
    return s.replaceAll("0+$", "").replaceAll("\\.$", "");
  }
}
