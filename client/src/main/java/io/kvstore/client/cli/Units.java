package io.kvstore.client.cli;

import java.util.Locale;

/** Human-readable sizes, durations and ages for the tool's output. Stateless. */
final class Units {
  private static final String[] BINARY = {"KiB", "MiB", "GiB", "TiB"};

  private Units() {}

  /** "512 B", "1.2 KiB", "3.4 MiB", ... (binary prefixes, one decimal). */
  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    double v = n;
    int unit = -1;
    while (v >= 1024 && unit < BINARY.length - 1) {
      v /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, BINARY[unit]);
  }

  /** "40 ms" below a second, else "4.2 s". */
  static String millis(long ms) {
    return ms < 1000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** An age: "12.3s" below a minute, "12m05s" below an hour, else "3h12m". */
  static String age(long ms) {
    if (ms < 60_000) {
      return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
