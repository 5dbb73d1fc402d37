package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.HistoryHeader;
import io.kvstore.clustertests.history.ManualClock;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import java.time.Instant;
import java.util.List;

/**
 * Writes synthetic histories tersely for checker tests: each helper records one whole operation
 * (invoke, 1 ms, completion, 1 ms) under a fresh process, so operations are sequential unless a
 * test uses {@link #begin} / {@link #end} to overlap them. Not thread safe.
 */
final class Hist {
  final ManualClock clock = new ManualClock();
  final History h;

  Hist(String scenario) {
    h = new History(new HistoryHeader(1, scenario, Instant.parse("2025-01-01T00:00:00Z")), clock);
  }

  Op begin(Op.F f, String key, String value, String node, String context) {
    Op inv = h.invoke(h.newProcess(), f, key, value, node, context);
    clock.advanceMillis(1);
    return inv;
  }

  Op end(Op inv, Op.Type type, Completion c) {
    Op done = h.complete(inv, type, c);
    clock.advanceMillis(1);
    return done;
  }

  Op op(Op.F f, String key, String value, String node, String ctx, Op.Type type, Completion c) {
    return end(begin(f, key, value, node, ctx), type, c);
  }

  /** A set-add of element e with the given outcome; OK ones have 2 primary acks. */
  Op add(String key, int e, Op.Type type) {
    return op(Op.F.ADD, key, Integer.toString(e), "n1", null, type,
        type == Op.Type.OK ? Completion.NONE.withAcks(2) : Completion.NONE.withError("x"));
  }

  Op finalRead(String key, String node, String... siblings) {
    return op(Op.F.FINAL_READ, key, null, node, null, Op.Type.OK,
        Completion.NONE.withValues(List.of(siblings)).withAcks(3));
  }

  Op raw(String key, String node, String clock, RawSibling... siblings) {
    return op(Op.F.RAW_READ, key, null, node, null, Op.Type.OK,
        Completion.NONE.withRaw(List.of(siblings), clock));
  }

  Op rawFailed(String key, String node) {
    return op(Op.F.RAW_READ, key, null, node, null, Op.Type.FAIL,
        Completion.NONE.withError("unavailable"));
  }

  /** A strict (non-sloppy) read with R primary replies returning ctx. */
  Op read(String key, int r, String ctx, String... siblings) {
    return op(Op.F.READ, key, null, "n2", null, Op.Type.OK,
        Completion.NONE.withValues(List.of(siblings)).withAcks(r).withContext(ctx));
  }

  /** A strict register write with W primary acks, returning response context {@code respCtx}. */
  Op write(String key, String value, String ctx, int w, String respCtx) {
    return op(Op.F.WRITE, key, value, "n1", ctx, Op.Type.OK,
        Completion.NONE.withAcks(w).withContext(respCtx));
  }

  Op delete(String key, String ctx, int w) {
    return op(Op.F.DELETE, key, null, "n1", ctx, Op.Type.OK, Completion.NONE.withAcks(w));
  }

  FaultWindow fault(String nemesis, long millis) {
    FaultWindow w = h.faultStarted(nemesis, "test");
    clock.advanceMillis(millis);
    return h.faultEnded(w);
  }

  void sleep(long millis) {
    clock.advanceMillis(millis);
  }

  static RawSibling live(String dot, String value) {
    return RawSibling.live(dot, value);
  }
}
