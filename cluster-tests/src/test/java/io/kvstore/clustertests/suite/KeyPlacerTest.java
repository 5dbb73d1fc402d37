package io.kvstore.clustertests.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvstore.client.ClusterStatus;
import io.kvstore.client.ClusterStatus.Member;
import io.kvstore.client.ClusterStatus.MemberStatus;
import io.kvstore.ring.NodeId;
import io.kvstore.ring.Ring;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Key placement for the two-primaries-down scenario, and the ring check it relies on. No Docker. */
class KeyPlacerTest {
  private static final List<NodeId> FIVE =
      List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"), NodeId.of("n4"), NodeId.of("n5"));

  @Test
  void everyPlacedKeyHasTheSamePrimariesAndFallbacksInOrder() {
    Ring ring = Ring.create(64, FIVE);
    KeyPlacer placer = new KeyPlacer(ring, 17, 3);
    List<NodeId> list = ring.preferenceListWithFallbacks(17);
    assertEquals(list.subList(0, 3), placer.primaries());
    assertEquals(list.subList(3, 5), placer.fallbacks());
    Set<Integer> partitions = new HashSet<>();
    for (String name : List.of("primaries-down-set-a-g0", "primaries-down-reg-b-g7", "x", "")) {
      String key = placer.apply(name);
      assertTrue(key.startsWith(name + "."), key);
      assertEquals(key, placer.apply(name), "the same name every time");
      int p = ring.partitionOf(ClientOps.bytes(key));
      partitions.add(p);
      assertEquals(list, ring.preferenceListWithFallbacks(p), key);
      assertEquals(placer.primaries(), ring.preferenceList(ClientOps.bytes(key), 3), key);
    }
    assertTrue(placer.lands(placer.apply("y")));
  }

  @Test
  void keysThatLandElsewhereAreRenamed() {
    Ring ring = Ring.create(64, FIVE);
    KeyPlacer placer = new KeyPlacer(ring, 3, 3);
    int elsewhere = 0;
    for (int i = 0; i < 50; i++) {
      elsewhere += placer.lands("k" + i) ? 0 : 1;
    }
    assertTrue(elsewhere > 25, "most plain keys land on other replicas: " + elsewhere);
  }

  @Test
  void placementNeedsFallbacks() {
    Ring three = Ring.create(64, FIVE.subList(0, 3));
    assertThrows(IllegalArgumentException.class, () -> new KeyPlacer(three, 0, 3));
  }

  private static ClusterStatus status(String self, int partitions, long epoch,
      Map<NodeId, Integer> owned) {
    List<Member> members = new ArrayList<>();
    owned.forEach((id, count) -> members.add(new Member(id.id(), id + ":7000", MemberStatus.UP,
        count, 1, id.id().equals(self), 0, -1, 0)));
    return new ClusterStatus(self, members, partitions, epoch, 3, 2, 2, ClusterStatus.Hints.NONE);
  }

  @Test
  void theRingComputedHereIsCheckedAgainstWhatANodeReports() {
    Ring ring = Ring.create(64, FIVE);
    Map<NodeId, Integer> owned = ring.ownershipCounts();
    assertEquals(ring, RingView.check(status("n2", 64, 1, owned), "n2", 64));
    assertThrows(IllegalStateException.class,
        () -> RingView.check(status("n3", 64, 1, owned), "n2", 64), "another node answered");
    assertThrows(IllegalStateException.class,
        () -> RingView.check(status("n2", 64, 1, owned), "n2", 128), "partition count");
    IllegalStateException epoch = assertThrows(IllegalStateException.class,
        () -> RingView.check(status("n2", 64, 2, owned), "n2", 64));
    assertTrue(epoch.getMessage().contains("ring epoch 2"), epoch.getMessage());
    Map<NodeId, Integer> skewed = new java.util.TreeMap<>(owned);
    skewed.put(NodeId.of("n1"), owned.get(NodeId.of("n1")) + 1);
    skewed.put(NodeId.of("n2"), owned.get(NodeId.of("n2")) - 1);
    assertThrows(IllegalStateException.class,
        () -> RingView.check(status("n2", 64, 1, skewed), "n2", 64), "ownership");
    assertNotEquals(owned, skewed);
  }
}
