package io.kvstore.ring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generators of rings for randomized tests, driven by a caller's seeded {@link Random}.
 *
 * <p>Stateless; thread-safe as long as each caller uses its own Random.
 */
final class RandomRings {
  private RandomRings() {}

  static int partitionCount(Random rnd) {
    return 1 << (2 + rnd.nextInt(8)); // 4 .. 512
  }

  static List<NodeId> nodes(Random rnd, int count) {
    List<NodeId> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(NodeId.of("node-" + Integer.toString(rnd.nextInt(1 << 20), 36) + "-" + i));
    }
    Collections.shuffle(out, rnd);
    return out;
  }

  /** Any assignment at all: each of {@code s} nodes owns at least one partition, else random. */
  static Ring arbitrary(Random rnd, int q, int s) {
    List<NodeId> nodes = nodes(rnd, s);
    List<NodeId> owners = new ArrayList<>(nodes);
    while (owners.size() < q) {
      owners.add(nodes.get(rnd.nextInt(s)));
    }
    Collections.shuffle(owners, rnd);
    return Ring.fromAssignment(rnd.nextInt(1000), owners);
  }

  /** A ring created with a few nodes, then put through {@code steps} random joins and leaves. */
  static Ring churned(Random rnd, int q, int steps) {
    int maxNodes = Math.min(q, 24);
    Ring ring = Ring.create(q, nodes(rnd, 1 + rnd.nextInt(Math.min(q, 8))));
    for (int i = 0; i < steps; i++) {
      ring = randomChange(rnd, ring, maxNodes);
    }
    return ring;
  }

  static Ring randomChange(Random rnd, Ring ring, int maxNodes) {
    int s = ring.members().size();
    boolean join = s == 1 || (s < maxNodes && rnd.nextBoolean());
    if (join) {
      return ring.withNode(NodeId.of("joiner-" + ring.epoch() + "-" + rnd.nextInt(1 << 16)));
    }
    List<NodeId> members = new ArrayList<>(ring.members());
    return ring.withoutNode(members.get(rnd.nextInt(s)));
  }
}
