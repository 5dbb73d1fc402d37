package io.kvstore.clustertests.checker;

import static io.kvstore.clustertests.checker.Hist.live;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.clustertests.history.Completion;
import io.kvstore.clustertests.history.Op;
import io.kvstore.clustertests.history.RawSibling;
import io.kvstore.clustertests.history.Seeds;
import io.kvstore.clustertests.history.SetCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LostWritesCheckerTest {
  private final LostWritesChecker c1 = new LostWritesChecker();

  /** Adds 1..3 acknowledged, 4 indeterminate (shows up), 5 indeterminate (absent), 6 failed. */
  private static Hist base() {
    Hist t = new Hist("c1");
    t.add("k", 1, Op.Type.OK);
    t.add("k", 2, Op.Type.OK);
    t.add("k", 3, Op.Type.OK);
    t.add("k", 4, Op.Type.INFO);
    t.add("k", 5, Op.Type.INFO);
    t.add("k", 6, Op.Type.FAIL);
    return t;
  }

  @Test
  void everyAcknowledgedAddInEveryFinalViewPasses() {
    Hist t = base();
    for (String n : List.of("n1", "n2", "n3")) {
      t.finalRead("k", n, "1,2", "3,4");
      t.raw("k", n, "{n1.1=2}", live("n1.1:1", "1,2"), live("n1.1:2", "3,4"));
    }
    CheckResult r = c1.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(3, r.count("acknowledged"));
    assertEquals(1, r.count("recovered"));
    assertEquals(0, r.count("lost"));
    assertEquals(6, r.count("attempted"));
    assertEquals(2, r.count("indeterminate"));
    assertEquals(1, r.count("failed"));
  }

  @Test
  void anAcknowledgedAddMissingFromAFinalReadIsLost() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3");
    Op bad = t.finalRead("k", "n2", "1,3");
    t.raw("k", "n1", "{n1.1=1}", live("n1.1:1", "1,2,3"));
    CheckResult r = c1.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("lost"));
    assertEquals(1, r.count("lostInFinalRead"));
    String a = r.anomalies().get(0);
    assertTrue(a.contains("key k") && a.contains("2 (add #2/#3") && a.contains("#" + bad.index()), a);
  }

  @Test
  void anElementNoAddAttemptedIsUnexpected() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3,99");
    CheckResult r = c1.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("unexpected"));
    assertTrue(r.anomalies().get(0).contains("99"), r.anomalies().toString());
  }

  @Test
  void aFailedAddThatShowsUpContradictsItsLabel() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3,6");
    CheckResult r = c1.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("failedPresent"));
  }

  @Test
  void oneReplicaLackingAnElementIsDivergenceNotLoss() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3");
    t.raw("k", "n1", "{n1.1=1}", live("n1.1:1", "1,2,3"));
    t.raw("k", "n2", "{n1.1=1}", live("n1.1:1", "1,3"));
    CheckResult r = c1.check(t.h);
    assertTrue(r.passed(), r.toString());
    assertEquals(1, r.count("rawReplicaMisses"));
    assertEquals(1, r.notes().size());
  }

  @Test
  void anElementMissingFromEveryReplicaIsLostEvenIfTheFinalReadHadIt() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3");
    t.raw("k", "n1", "{n1.1=1}", live("n1.1:1", "1,3"));
    t.raw("k", "n2", "{n1.1=1}", live("n1.1:1", "1,3"), RawSibling.tombstone("n1.1:2"));
    CheckResult r = c1.check(t.h);
    assertFalse(r.passed());
    assertEquals(1, r.count("lostInRaw"));
    assertEquals(1, r.count("lost"));
  }

  @Test
  void onlyTheLastRawReadOfAReplicaCounts() {
    Hist t = base();
    t.finalRead("k", "n1", "1,2,3");
    t.raw("k", "n1", "{n1.1=1}", live("n1.1:1", "1"));
    t.raw("k", "n1", "{n1.1=2}", live("n1.1:2", "1,2,3"));
    assertTrue(c1.check(t.h).passed());
  }

  @Test
  void aKeyWithoutFinalReadIsUnverified() {
    Hist t = base();
    CheckResult r = c1.check(t.h);
    assertFalse(r.passed());
    assertTrue(r.anomalies().get(0).contains("no successful final read"));
  }

  @Test
  void randomOutcomesPassAndDroppingOneAcknowledgedElementIsCaught() {
    Seeds.trials("LostWritesCheckerTest#random", 50, seed -> {
      Random rnd = new Random(seed);
      Hist good = new Hist("c1-random");
      Hist bad = new Hist("c1-random");
      TreeSet<Integer> present = new TreeSet<>();
      List<Integer> acked = new ArrayList<>();
      int adds = 1 + rnd.nextInt(60);
      for (int e = 0; e < adds; e++) {
        Op.Type type = Op.Type.values()[1 + rnd.nextInt(3)];
        good.add("k", e, type);
        bad.add("k", e, type);
        if (type == Op.Type.OK) {
          acked.add(e);
        }
        if (type == Op.Type.OK || (type == Op.Type.INFO && rnd.nextBoolean())) {
          present.add(e);
        }
      }
      TreeSet<Integer> dropped = new TreeSet<>(present);
      Integer victim = acked.isEmpty() ? null : acked.get(rnd.nextInt(acked.size()));
      if (victim != null) {
        dropped.remove(victim);
      }
      good.finalRead("k", "n1", SetCodec.encode(present));
      bad.finalRead("k", "n1", SetCodec.encode(dropped));
      CheckResult g = c1.check(good.h);
      assertTrue(g.passed(), g.toString());
      assertEquals(acked.size(), g.count("acknowledged"));
      CheckResult b = c1.check(bad.h);
      assertEquals(victim == null, b.passed(), b.toString());
      assertEquals(victim == null ? 0 : 1, b.count("lost"));
    });
  }

  @Test
  void theNegativeControlClientLosesWritesAndTheCorrectClientDoesNot() {
    Seeds.trials("LostWritesCheckerTest#negativeControl", 20, seed -> {
      CheckResult correct = c1.check(setAddRun(seed, false).h);
      assertTrue(correct.passed(), correct.toString());
      CheckResult control = c1.check(setAddRun(seed, true).h);
      assertFalse(control.passed(), control.toString());
      assertTrue(control.count("lost") > 0);
      assertTrue(SanityChecker.negativeControl(control).passed());
      assertFalse(SanityChecker.negativeControl(correct).passed());
    });
  }

  /**
   * Four clients add distinct elements to one key through {@link MiniStore}, interleaving their
   * read and put steps so that siblings arise; the negative control keeps only the first sibling.
   */
  static Hist setAddRun(long seed, boolean dropSiblings) {
    Random rnd = new Random(seed);
    Hist t = new Hist(dropSiblings ? "negative-control" : "set-add");
    MiniStore store = new MiniStore();
    Map<Integer, Op> pending = new java.util.HashMap<>();
    Map<Integer, MiniStore.Read> seen = new java.util.HashMap<>();
    int next = 0;
    for (int step = 0; step < 200; step++) {
      int client = rnd.nextInt(4);
      if (!pending.containsKey(client)) {
        pending.put(client, t.begin(Op.F.ADD, "s", Integer.toString(next++), "n" + (client + 1), null));
        seen.put(client, store.read("s"));
      } else {
        Op inv = pending.remove(client);
        MiniStore.Read r = seen.remove(client);
        List<String> kept = dropSiblings && !r.values().isEmpty() ? List.of(r.values().get(0)) : r.values();
        store.put("s", SetCodec.add(kept, Integer.parseInt(inv.value())), r.context());
        t.end(inv, Op.Type.OK, Completion.NONE.withAcks(2));
      }
    }
    pending.values().forEach(inv -> t.end(inv, Op.Type.INFO, Completion.NONE.withError("run ended")));
    MiniStore.Read fin = store.read("s");
    for (String n : List.of("n1", "n2", "n3")) {
      t.finalRead("s", n, fin.values().toArray(String[]::new));
    }
    return t;
  }
}
