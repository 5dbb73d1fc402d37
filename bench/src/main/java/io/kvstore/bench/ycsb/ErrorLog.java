package io.kvstore.bench.ycsb;

import java.io.PrintStream;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logs the first error of each kind (operation and cause, e.g. "update UNAVAILABLE") with its
 * message, and counts the rest: at 64 threads a failing cluster would otherwise print thousands
 * of identical lines per second and slow the benchmark it reports on. YCSB's own counts
 * ({@code Return=ERROR}) still count every failed operation.
 *
 * <p>Thread safe.
 */
final class ErrorLog {
  private final String name;
  private final PrintStream out;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final LongAdder total = new LongAdder();

  ErrorLog(String name, PrintStream out) {
    this.name = name;
    this.out = out;
  }

  /** Records one error; prints it only if its kind is new. */
  void error(String kind, String message) {
    total.increment();
    if (seen.add(kind)) {
      out.println(name + ": " + kind + ": " + message + " (logged once per kind; YCSB counts"
          + " every failed operation)");
    }
  }

  /** Errors recorded so far, of all kinds. */
  long total() {
    return total.sum();
  }

  /** The kinds seen so far. */
  Set<String> kinds() {
    return Set.copyOf(seen);
  }
}
