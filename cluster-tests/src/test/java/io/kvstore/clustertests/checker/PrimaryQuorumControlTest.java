package io.kvstore.clustertests.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.checker.PrimaryQuorumControl.Attempt;
import io.kvstore.clustertests.checker.PrimaryQuorumControl.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrimaryQuorumControlTest {
  private static final String CLAIM = "kill -9 n2 + SIGSTOP n4: two of the primaries [n2, n3, n4]";

  private static List<Attempt> refused(int n) {
    List<Attempt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Attempt("k." + i, "n3", 5_000_000_000L + i, Outcome.UNAVAILABLE,
          "UNAVAILABLE: 1 of PW=2 primaries up"));
    }
    return out;
  }

  @Test
  void everyStrictWriteRefusedPasses() {
    CheckResult r = PrimaryQuorumControl.judge(CLAIM, 4_500_000_000L, refused(40), 10);
    assertTrue(r.passed(), r.toString());
    assertEquals(40, r.count("unavailable"));
    assertEquals(4500, r.count("convictionMillis"));
  }

  @Test
  void anAcknowledgedStrictWriteShowsTheFaultDidNotTakeTwoPrimariesDown() {
    List<Attempt> a = refused(20);
    a.add(new Attempt("k.x", "n5", 9_000_000_000L, Outcome.OK, "acks=2 sloppyAcks=0"));
    CheckResult r = PrimaryQuorumControl.judge(CLAIM, 4_000_000_000L, a, 10);
    assertFalse(r.passed());
    assertEquals(1, r.count("acknowledged"));
    String msg = r.anomalies().getFirst();
    assertTrue(msg.contains("1 of 21 PW=2 writes were acknowledged") && msg.contains(CLAIM)
        && msg.contains("did not take them down") && msg.contains("key k.x via n5 at +9.0 s"), msg);
  }

  @Test
  void aTimeoutDoesNotShowThePrimariesDown() {
    List<Attempt> a = refused(20);
    a.add(new Attempt("k.y", "n3", 6_000_000_000L, Outcome.OTHER, "DEADLINE_EXCEEDED"));
    CheckResult r = PrimaryQuorumControl.judge(CLAIM, -1, a, 10);
    assertFalse(r.passed());
    assertEquals(1, r.count("other"));
    assertTrue(r.anomalies().getFirst().contains("otherwise than UNAVAILABLE"), r.toString());
    assertTrue(r.notes().getFirst().contains("did not all see the downed primaries DOWN"),
        r.notes().toString());
  }

  @Test
  void tooFewAttemptsProveNothing() {
    CheckResult r = PrimaryQuorumControl.judge(CLAIM, 4_000_000_000L, refused(3), 10);
    assertFalse(r.passed());
    assertTrue(r.anomalies().getFirst().contains("only 3 PW=2 control writes"), r.toString());
  }
}
