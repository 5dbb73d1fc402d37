package io.kvstore.gossip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Entry order and view basics, case by case. */
class MembershipViewTest {
  private static EndpointState e(long gen, long hb, MemberStatus st, long epoch, String addr) {
    return new EndpointState("a", addr, gen, hb, st, epoch);
  }

  @Test
  void generationWinsOverHeartbeatVersion() {
    EndpointState old = e(1, 500, MemberStatus.NORMAL, 3, "h:1");
    EndpointState restarted = e(2, 0, MemberStatus.NORMAL, 0, "h:1");
    assertTrue(restarted.supersedes(old));
    assertEquals(restarted, MembershipView.of(old).merge(MembershipView.of(restarted)).get("a"));
    assertEquals(restarted, MembershipView.of(restarted).merge(MembershipView.of(old)).get("a"));
  }

  @Test
  void heartbeatVersionOrdersOneGeneration() {
    assertTrue(e(1, 6, MemberStatus.NORMAL, 0, "h:1")
        .supersedes(e(1, 5, MemberStatus.SHUTDOWN, 9, "z:9")));
  }

  @Test
  void exactTiesBreakByStatusThenRingEpochThenAddress() {
    EndpointState normal = e(1, 5, MemberStatus.NORMAL, 9, "z:9");
    EndpointState shutdown = e(1, 5, MemberStatus.SHUTDOWN, 0, "a:1");
    assertTrue(shutdown.supersedes(normal), "a shutdown is not undone by a tie");
    assertTrue(e(1, 5, MemberStatus.NORMAL, 2, "a:1").supersedes(e(1, 5, MemberStatus.NORMAL,
        1, "z:1")));
    assertTrue(e(1, 5, MemberStatus.NORMAL, 1, "b:1").supersedes(e(1, 5, MemberStatus.NORMAL,
        1, "a:1")));
  }

  @Test
  void viewBasics() {
    EndpointState a = EndpointState.starting("a", "h:1", 1, 0);
    EndpointState b = EndpointState.starting("b", "h:2", 1, 0);
    MembershipView v = MembershipView.of(b, a);
    assertEquals(List.of("a", "b"), List.copyOf(v.entries().keySet()));
    assertEquals(2, v.size());
    assertNull(v.get("c"));
    EndpointState older = a.withStatus(MemberStatus.SHUTDOWN);
    assertEquals(older, v.with(older).get("a"), "with() replaces even by an older entry");
    assertEquals(a, v.get("a"), "views are immutable");
    assertThrows(UnsupportedOperationException.class, () -> v.entries().remove("a"));
    assertEquals("MembershipView{a@h:1 g1 v0 NORMAL e0, b@h:2 g1 v0 NORMAL e0}", v.toString());
  }

  @Test
  void entriesAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> EndpointState.starting("", "h:1", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> EndpointState.starting("a", "", 0, 0));
    assertThrows(IllegalArgumentException.class, () -> EndpointState.starting("a", "h", -1, 0));
    assertThrows(IllegalArgumentException.class, () -> EndpointState.starting("a", "h", 0, -1));
    assertThrows(NullPointerException.class,
        () -> new EndpointState("a", "h", 0, 0, null, 0));
  }
}
