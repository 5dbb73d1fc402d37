package io.kvstore.lsm;

import java.time.Duration;
import java.util.Objects;

/**
 * When the commit log is fsynced.
 *
 * <ul>
 *   <li>{@link #group()} (default): a write returns only after the log record holding it is
 *       fsynced; concurrent writers share one fsync (group commit). No acknowledged write is lost
 *       on a machine crash.
 *   <li>{@link #periodic(Duration)}: fsync every interval in the background; a machine crash can
 *       lose up to one interval of acknowledged writes (a process crash loses nothing).
 *   <li>{@link #none()}: never fsync the log explicitly (the OS decides); a process crash loses
 *       nothing, a machine crash can lose anything not yet flushed to an SSTable.
 * </ul>
 *
 * Immutable.
 */
public final class SyncPolicy {
  /** The three modes. */
  public enum Mode {
    GROUP,
    PERIODIC,
    NONE
  }

  private static final SyncPolicy GROUP = new SyncPolicy(Mode.GROUP, Duration.ZERO);
  private static final SyncPolicy NONE = new SyncPolicy(Mode.NONE, Duration.ZERO);

  private final Mode mode;
  private final Duration interval;

  private SyncPolicy(Mode mode, Duration interval) {
    this.mode = mode;
    this.interval = interval;
  }

  public static SyncPolicy group() {
    return GROUP;
  }

  public static SyncPolicy none() {
    return NONE;
  }

  public static SyncPolicy periodic(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("periodic sync interval must be positive: " + interval);
    }
    return new SyncPolicy(Mode.PERIODIC, interval);
  }

  /** Parses {@code group}, {@code none} or {@code periodic:<millis>}. */
  public static SyncPolicy parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    if (t.equals("group")) {
      return group();
    }
    if (t.equals("none")) {
      return none();
    }
    if (t.startsWith("periodic:")) {
      try {
        return periodic(Duration.ofMillis(Long.parseLong(t.substring("periodic:".length()))));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad periodic interval in sync policy '" + text + "'");
      }
    }
    throw new IllegalArgumentException(
        "unknown sync policy '" + text + "': expected group, none or periodic:<millis>");
  }

  public Mode mode() {
    return mode;
  }

  public Duration interval() {
    return interval;
  }

  @Override
  public String toString() {
    return mode == Mode.PERIODIC ? "periodic:" + interval.toMillis() : mode.name().toLowerCase();
  }
}
