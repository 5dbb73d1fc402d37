package io.kvstore.node.time;

import io.grpc.Deadline;
import java.util.concurrent.TimeUnit;

/**
 * The node's source of time. Production code reads time only through a Clock, so protocol cores
 * and coordinators can run against a simulated clock; {@link #system()} is the real one.
 * Implementations are thread safe.
 */
public interface Clock {
  /** Monotonic nanoseconds (arbitrary origin), for intervals and deadlines. */
  long nanoTime();

  /**
   * Wall-clock milliseconds since the epoch: for display, logs and the times other nodes read
   * (tombstone delete times, the incarnation floor); never for intervals.
   */
  long currentTimeMillis();

  /** Monotonic milliseconds (arbitrary origin). */
  default long millis() {
    return TimeUnit.NANOSECONDS.toMillis(nanoTime());
  }

  /** A gRPC deadline {@code millis} from now on this clock (so a simulated clock drives it too). */
  default Deadline deadlineAfter(long millis) {
    return Deadline.after(millis, TimeUnit.MILLISECONDS, ticker());
  }

  /** This clock as gRPC's deadline ticker. */
  default Deadline.Ticker ticker() {
    Clock self = this;
    return new Deadline.Ticker() {
      @Override
      public long nanoTime() {
        return self.nanoTime();
      }
    };
  }

  /** The system clock: {@link System#nanoTime()} and {@link System#currentTimeMillis()}. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
