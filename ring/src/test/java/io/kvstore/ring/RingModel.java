package io.kvstore.ring;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deliberately naive reference model of the ring's derived facts, computed straight from the
 * owner list with no cleverness, to compare {@link Ring} against.
 *
 * <p>Stateless; thread-safe.
 */
final class RingModel {
  private RingModel() {}

  /** Walk clockwise from {@code p} over the whole ring, collecting owners not seen yet. */
  static List<NodeId> walk(List<NodeId> owners, int p, int n) {
    List<NodeId> out = new ArrayList<>();
    for (int i = 0; i < owners.size() && out.size() < n; i++) {
      NodeId o = owners.get((p + i) % owners.size());
      if (!out.contains(o)) {
        out.add(o);
      }
    }
    return out;
  }

  static Map<NodeId, Integer> counts(List<NodeId> owners) {
    Map<NodeId, Integer> c = new TreeMap<>();
    for (NodeId o : owners) {
      c.merge(o, 1, Integer::sum);
    }
    return c;
  }

  /** Partitions whose owner differs between two rings of the same size. */
  static List<Integer> moved(Ring before, Ring after) {
    List<Integer> out = new ArrayList<>();
    for (int p = 0; p < before.partitionCount(); p++) {
      if (!before.ownerOf(p).equals(after.ownerOf(p))) {
        out.add(p);
      }
    }
    return out;
  }

  static int spread(Map<NodeId, Integer> counts) {
    int min = Integer.MAX_VALUE;
    int max = Integer.MIN_VALUE;
    for (int c : counts.values()) {
      min = Math.min(min, c);
      max = Math.max(max, c);
    }
    return max - min;
  }

  /** Windows of n consecutive partitions (cyclic) in which some node appears twice. */
  static int windowsWithRepeats(List<NodeId> owners, int n) {
    int bad = 0;
    for (int p = 0; p < owners.size(); p++) {
      List<NodeId> seen = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        NodeId o = owners.get((p + i) % owners.size());
        if (seen.contains(o)) {
          bad++;
          break;
        }
        seen.add(o);
      }
    }
    return bad;
  }
}
