package io.kvstore.clustertests.checker;

import io.kvstore.clustertests.history.FaultWindow;
import io.kvstore.clustertests.history.History;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.OpPair;
import java.util.EnumMap;
import java.util.Map;

/**
 * The sanity checks of FAULT-SUITE.md, which guard the checkers against a run that proves
 * nothing: enough client operations acknowledged (a run where everything failed passes C1
 * trivially), every fault stopped (an open window means the end state was judged under a fault),
 * and, by {@link #negativeControl}, that the negative-control run failed C1 (else the harness
 * cannot see lost writes at all).
 *
 * <p>Client operations are READ, ADD, WRITE and DELETE; final and raw reads are the checkers'
 * own and do not count. Thread safety: immutable.
 */
public final class SanityChecker implements Checker {
  public static final String NAME = "sanity";
  public static final String NEGATIVE_CONTROL = "negative control";
  private final long minAcknowledged;
  private final long minPerWrite;

  /** @param minAcknowledged the fewest successful client operations a meaningful run has */
  public SanityChecker(long minAcknowledged) {
    this(minAcknowledged, 0);
  }

  /**
   * @param minAcknowledged the fewest successful client operations a meaningful run has
   * @param minPerWrite the fewest acknowledged writes of each write function (ADD, WRITE,
   *     DELETE) that the run attempted at all: each workload must have been exercised
   */
  public SanityChecker(long minAcknowledged, long minPerWrite) {
    this.minAcknowledged = minAcknowledged;
    this.minPerWrite = minPerWrite;
  }

  @Override
  public CheckResult check(History history) {
    long client = 0;
    long ok = 0;
    Map<Op.F, long[]> writes = new EnumMap<>(Op.F.class); // attempted, acknowledged
    for (OpPair p : history.pairs()) {
      if (p.f().isWrite() || p.f() == Op.F.READ) {
        client++;
        ok += p.isOk() ? 1 : 0;
      }
      if (p.f().isWrite()) {
        long[] n = writes.computeIfAbsent(p.f(), f -> new long[2]);
        n[0]++;
        n[1] += p.isOk() ? 1 : 0;
      }
    }
    CheckResult.Builder r = CheckResult.builder(NAME).count("clientOps", client)
        .count("acknowledged", ok).count("minAcknowledged", minAcknowledged)
        .count("faults", history.faults().size()).count("faultsOpen", 0);
    if (ok < minAcknowledged) {
      r.anomaly("only " + ok + " of " + client + " client operations acknowledged; need "
          + minAcknowledged);
    }
    writes.forEach((f, n) -> {
      r.count("acknowledged." + f.jsonName(), n[1]);
      if (n[1] < minPerWrite) {
        r.anomaly("only " + n[1] + " of " + n[0] + " " + f.jsonName()
            + " operations acknowledged; need " + minPerWrite + " of each kind of write");
      }
    });
    for (FaultWindow w : history.faults()) {
      if (w.isOpen()) {
        r.add("faultsOpen", 1).anomaly("fault never stopped: " + w);
      }
    }
    return r.build();
  }

  /**
   * Passes iff {@code c1} is the C1 result of the negative-control run (a client that keeps one
   * sibling and drops the rest) and it failed with lost writes.
   */
  public static CheckResult negativeControl(CheckResult c1) {
    CheckResult.Builder r = CheckResult.builder(NEGATIVE_CONTROL)
        .count("lostInControl", Math.max(0, c1.count("lost")));
    if (!LostWritesChecker.NAME.equals(c1.name())) {
      r.anomaly("expected the " + LostWritesChecker.NAME + " result of the negative control, got "
          + c1.name());
    } else if (c1.passed() || c1.count("lost") <= 0) {
      r.anomaly("the negative control (a client that drops siblings) passed C1 with "
          + c1.count("lost") + " lost writes: the suite cannot detect lost writes");
    }
    return r.build();
  }
}
