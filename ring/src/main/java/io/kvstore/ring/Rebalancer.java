package io.kvstore.ring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The claim algorithms behind {@link Ring#create}, {@link Ring#withNode} and
 * {@link Ring#withoutNode}: who owns which partition after a membership change.
 *
 * <p>Stateless; thread-safe. Guarantees, for an input ring whose per-node counts differ by at most
 * one (every ring these factories build): the output's counts differ by at most one; a join moves
 * exactly {@code floor(Q / (S + 1))} partitions, all to the newcomer; a leave moves exactly the
 * leaver's partitions. Within those constraints it spreads each node's partitions apart
 * (a node owning two partitions fewer than N apart would make it appear twice in a window of N
 * consecutive partitions, which makes preference lists walk further).
 */
final class Rebalancer {
  private Rebalancer() {}

  /** Round-robin over the sorted nodes: partition p goes to {@code sorted[p % S]}. */
  static List<NodeId> roundRobin(int q, List<NodeId> sortedNodes) {
    List<NodeId> owners = new ArrayList<>(q);
    for (int p = 0; p < q; p++) {
      owners.add(sortedNodes.get(p % sortedNodes.size()));
    }
    return owners;
  }

  /**
   * The newcomer takes {@code floor(Q / (S + 1))} partitions from nodes above their new share.
   * Passes walk the ring clockwise taking partitions at least {@code stride} apart from the
   * newcomer's others; the stride starts at the ideal spacing and shrinks until enough are taken.
   * At each stride a first sweep takes only "crowded" partitions (whose owner has another
   * partition closer than the stride), so a join also repairs spacing that earlier changes broke.
   */
  static List<NodeId> join(List<NodeId> owners, int memberCount, NodeId newcomer) {
    Assignment a = new Assignment(owners);
    int q = a.partitionCount();
    int take = q / (memberCount + 1);
    DonorRule donors = new DonorRule(a, newcomer, q - take, memberCount);
    a.addNode(newcomer);
    int need = take;
    for (int stride = q / take; need > 0 && stride >= 1; stride = smaller(stride)) {
      for (int sweep = 0; sweep < 2; sweep++) {
        for (int p = 0; p < q && need > 0; p++) {
          NodeId owner = a.owner(p);
          if (!owner.equals(newcomer)
              && (sweep == 1 || a.distanceToNearest(owner, p) < stride)
              && donors.mayGive(owner)
              && a.distanceToNearest(newcomer, p) >= stride) {
            donors.willGive(owner);
            a.move(p, newcomer);
            need--;
          }
        }
      }
    }
    // Only reachable for an unbalanced input ring: take from whoever is most loaded.
    for (; need > 0; need--) {
      NodeId richest = mostLoaded(a, newcomer);
      a.move(a.partitionsOf(richest).get(0), newcomer);
    }
    return a.owners();
  }

  /**
   * Each partition of the leaver goes to a node still below its new share, preferring the node
   * whose nearest own partition is farthest away, then the least loaded, then the smallest id.
   */
  static List<NodeId> leave(List<NodeId> owners, List<NodeId> remaining, NodeId leaver) {
    Assignment a = new Assignment(owners);
    int q = a.partitionCount();
    ReceiverRule receivers = new ReceiverRule(a, remaining, q);
    for (int p : a.partitionsOf(leaver)) {
      NodeId best = null;
      int bestGap = -1;
      for (NodeId candidate : remaining) {
        if (!receivers.mayReceive(candidate)) {
          continue;
        }
        int gap = a.distanceToNearest(candidate, p);
        if (gap > bestGap || (gap == bestGap && a.count(candidate) < a.count(best))) {
          best = candidate;
          bestGap = gap;
        }
      }
      if (best == null) { // only for an unbalanced input ring
        best = remaining.stream().min(Comparator.comparingInt(a::count)).orElseThrow();
      }
      receivers.willReceive(best);
      a.move(p, best);
    }
    a.removeNode(leaver);
    return a.owners();
  }

  private static int smaller(int stride) {
    return stride <= 4 ? stride - 1 : stride - Math.max(1, stride / 8);
  }

  private static NodeId mostLoaded(Assignment a, NodeId except) {
    NodeId best = null;
    for (NodeId n : a.nodes()) {
      if (!n.equals(except) && (best == null || a.count(n) > a.count(best)
          || (a.count(n) == a.count(best) && n.compareTo(best) < 0))) {
        best = n;
      }
    }
    return best;
  }

  /**
   * Who may still give a partition to a newcomer: the other nodes must end holding {@code total}
   * partitions between them, each {@code floor} or {@code floor + 1} of them, with exactly
   * {@code total % members} at {@code floor + 1}.
   */
  private static final class DonorRule {
    private final Assignment a;
    private final int floor;
    private final int ceilSlots;
    private int aboveFloor;

    DonorRule(Assignment a, NodeId newcomer, int total, int members) {
      this.a = a;
      this.floor = total / members;
      this.ceilSlots = total % members;
      for (NodeId n : a.nodes()) {
        if (!n.equals(newcomer) && a.count(n) > floor) {
          aboveFloor++;
        }
      }
    }

    boolean mayGive(NodeId n) {
      int c = a.count(n);
      return c > floor + 1 || (c == floor + 1 && aboveFloor > ceilSlots);
    }

    void willGive(NodeId n) {
      if (a.count(n) == floor + 1) {
        aboveFloor--;
      }
    }
  }

  /** Who may still receive a leaver's partition: the mirror image of {@link DonorRule}. */
  private static final class ReceiverRule {
    private final Assignment a;
    private final int floor;
    private final int ceilSlots;
    private int aboveFloor;

    ReceiverRule(Assignment a, List<NodeId> remaining, int total) {
      this.a = a;
      this.floor = total / remaining.size();
      this.ceilSlots = total % remaining.size();
      for (NodeId n : remaining) {
        if (a.count(n) > floor) {
          aboveFloor++;
        }
      }
    }

    boolean mayReceive(NodeId n) {
      int c = a.count(n);
      return c < floor || (c == floor && aboveFloor < ceilSlots);
    }

    void willReceive(NodeId n) {
      if (a.count(n) == floor) {
        aboveFloor++;
      }
    }
  }
}
