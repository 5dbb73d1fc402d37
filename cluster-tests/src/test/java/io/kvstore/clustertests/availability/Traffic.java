package io.kvstore.clustertests.availability;

import io.kvstore.clustertests.history.ClientKind;
import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryHeader;
import io.kvstore.clustertests.history.ManualClock;
import io.kvstore.clustertests.history.Op;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Writes synthetic client traffic for availability tests: operations one after another on a
 * manual clock (each invoked when the previous one completed), from a chosen client kind, with
 * a chosen outcome and latency, and fault windows opened and closed between them. So the time of
 * every operation, and each row of the report, can be worked out by hand. Not thread safe.
 */
public final class Traffic {
  public final ManualClock clock = new ManualClock();
  public final History h =
      new History(new HistoryHeader(1, "traffic", Instant.parse("2025-01-01T00:00:00Z")), clock);

  /** {@code n} register writes of {@code kind}, each taking {@code millis} and ending {@code type}. */
  public Traffic ops(ClientKind kind, int n, Op.Type type, long millis) {
    return ops(kind, Op.F.WRITE, n, type, millis);
  }

  /** {@code n} operations {@code f} of {@code kind}, each taking {@code millis}, ending {@code type}. */
  public Traffic ops(ClientKind kind, Op.F f, int n, Op.Type type, long millis) {
    for (int i = 0; i < n; i++) {
      Op inv = h.invoke(h.newProcess(), f, "k", f == Op.F.READ ? null : "v", kind,
          kind == ClientKind.PINNED ? "n1" : null, null);
      clock.advanceMillis(millis);
      h.complete(inv, type, type == Op.Type.OK ? Completion.NONE.withAcks(2)
          : Completion.NONE.withError("unavailable"));
    }
    return this;
  }

  /** {@code pairs} times: one ok op of each kind, {@code millis} each (so pairs * 2 * millis). */
  public Traffic steady(int pairs, long millis) {
    for (int i = 0; i < pairs; i++) {
      ops(ClientKind.ALL_NODES, 1, Op.Type.OK, millis);
      ops(ClientKind.PINNED, 1, Op.Type.OK, millis);
    }
    return this;
  }

  /** Opens a window of {@code nemesis}, runs {@code during}, closes it; returns it closed. */
  public FaultWindow window(String nemesis, Consumer<Traffic> during) {
    FaultWindow w = start(nemesis);
    during.accept(this);
    return end(w);
  }

  public FaultWindow start(String nemesis) {
    return h.faultStarted(nemesis, "test " + nemesis);
  }

  public FaultWindow end(FaultWindow w) {
    return h.faultEnded(w);
  }

  public Traffic idle(long millis) {
    clock.advanceMillis(millis);
    return this;
  }
}
