package io.kvstore.clustertests.checker;

import static io.kvstore.clustertests.checker.Hist.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClockCheckerTest {
  private final ClockChecker c5 = new ClockChecker();

  @Test
  void uniqueCoveredDotsAndGrowingClocksPass() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=1}", live("n1.3:1", "a"));
    t.raw("k", "n2", "{n1.3=1, n2.1=1}", live("n1.3:1", "a"), live("n2.1:1", "b"));
    t.raw("k", "n1", "{n1.3=3, n2.1=1}", live("n1.3:2", "c"), RawSibling.tombstone("n1.3:3"));
    CheckResult r = c5.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(4, r.count("dots"));
  }

  @Test
  void aDotNamingTwoValuesIsReuse() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=7}", live("n1.3:7", "a"));
    t.raw("k", "n2", "{n1.3=7}", live("n1.3:7", "b"));
    t.raw("k", "n2", "{n1.3=7}", live("n1.3:7", "b"));
    CheckResult r = c5.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("reusedDots"));
    assertTrue(r.anomalies().get(0).contains("dot n1.3:7"), r.anomalies().toString());
  }

  @Test
  void theSameDotOnTwoKeysIsFine() {
    Hist t = new Hist("c5");
    t.raw("k1", "n1", "{n1.3=7}", live("n1.3:7", "a"));
    t.raw("k2", "n1", "{n1.3=7}", live("n1.3:7", "b"));
    assertTrue(c5.check(t.h).passed());
  }

  @Test
  void aDotTwiceInOneReadIsReuse() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=7}", live("n1.3:7", "a"), live("n1.3:7", "a"));
    assertFalse(c5.check(t.h).passed());
  }

  @Test
  void aDotItsReplicaClockDoesNotCoverFails() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=6, n2.1=4}", live("n1.3:7", "a"));
    CheckResult r = c5.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("uncoveredDots"));
    Hist t2 = new Hist("c5");
    t2.raw("k", "n1", "{n2.1=4}", live("n1.1:1", "a"));
    assertFalse(c5.check(t2.h).passed());
  }

  @Test
  void aClockGoingBackWithoutAFaultFails() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=2}", live("n1.3:2", "a"));
    t.raw("k", "n1", "{n1.3=1}", live("n1.3:1", "z"));
    CheckResult r = c5.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("clockRegressions"));
  }

  @Test
  void aClockMayGoBackAcrossACrashOrWhenTheKeyWasPurged() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "{n1.3=2}", live("n1.3:2", "a"));
    t.fault("crash", 100);
    t.raw("k", "n1", "{n1.3=1}", live("n1.3:1", "z"));
    assertTrue(c5.check(t.h).passed());
    assertFalse(new ClockChecker(w -> w.nemesis().equals("partition"), null).check(t.h).passed());
    Hist purged = new Hist("c5");
    purged.raw("k", "n1", "{n1.3=2}", RawSibling.tombstone("n1.3:2"));
    purged.raw("k", "n1", "");
    purged.raw("k", "n1", "{n2.1=1}", live("n2.1:1", "b"));
    assertTrue(c5.check(purged.h).passed());
  }

  @Test
  void malformedClocksAreAnomalies() {
    Hist t = new Hist("c5");
    t.raw("k", "n1", "n1.3=2", live("n1.3:2", "a"));
    t.raw("k", "n2", "{n1.3=2}", live("n1.3-2", "a"));
    CheckResult r = c5.check(t.h);
    assertFalse(r.passed());
    assertEquals(2, r.count("malformed"));
  }

  @Test
  void clockStringsParseInBothSeparatorStyles() {
    assertEquals(Map.of("n1.3", 7L, "n2.1", 4L), Clocks.clock("{n1.3=7, n2.1=4}"));
    assertEquals(Map.of("n1.3", 7L, "n2.1", 4L), Clocks.clock("{n1.3:7, n2.1:4}"));
    assertEquals(Map.of(), Clocks.clock("{}"));
    assertEquals(Map.of(), Clocks.clock(null));
    assertEquals(new Clocks.Dot("n1.3", 7), Clocks.dot("n1.3:7"));
    assertTrue(Clocks.covers(Clocks.clock("{n1.3=7}"), Clocks.dot("n1.3:7")));
    assertFalse(Clocks.covers(Clocks.clock("{n1.3=7}"), Clocks.dot("n1.4:1")));
    assertThrows(IllegalArgumentException.class, () -> Clocks.clock("{n1.3=7, n1.3=8}"));
    assertThrows(IllegalArgumentException.class, () -> Clocks.clock("{n1.3=x}"));
    assertThrows(IllegalArgumentException.class, () -> Clocks.dot("n1.3:0"));
  }

  /** Contexts in these tests are written as clocks, "{a=1}"; the decoder just parses them. */
  private final ClockChecker withContexts = new ClockChecker(w -> true, Clocks::clock);

  @Test
  void aWriteReturnsAContextStrictlyAboveTheOneItCarried() {
    Hist t = new Hist("c5");
    t.write("k", "v1", null, 2, "{n1=1}");
    t.write("k", "v2", "{n1=1}", 2, "{n1=2, n2=3}");
    t.op(Op.F.ADD, "s", "1", "n1", "{n1=2}", Op.Type.OK,
        Completion.NONE.withAcks(2).withContext("{n1=3}"));
    t.write("k", "v3", "{n1=2}", 2, ""); // answered without a context: not judged
    CheckResult r = withContexts.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(3, r.count("writeContextsChecked"));
    assertEquals(1, r.count("writesWithoutContext"));
  }

  @Test
  void aReturnedContextThatDoesNotDominateTheCarriedOneFails() {
    Hist t = new Hist("c5");
    t.write("k", "v1", "{n1=2, n2=1}", 2, "{n1=3}"); // forgot n2
    t.write("k", "v2", "{n1=3}", 2, "{n1=3}"); // no new dot
    CheckResult r = withContexts.check(t.h);
    assertFalse(r.passed());
    assertEquals(2, r.count("writeContextsNotGrown"));
    assertTrue(r.anomalies().get(0).contains("write #0/#1"), r.anomalies().toString());
    assertTrue(c5.check(t.h).passed(), "without a decoder check 4 is skipped");
  }

  @Test
  void anUndecodableContextIsMalformed() {
    Hist t = new Hist("c5");
    t.write("k", "v1", "garbage", 2, "{n1=3}");
    CheckResult r = withContexts.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("malformed"));
  }
}
