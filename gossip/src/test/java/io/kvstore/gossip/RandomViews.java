package io.kvstore.gossip;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Generators of membership views for property tests, driven by the caller's seeded generator.
 * Values come from small ranges so that views share nodes and entries often tie on generation
 * and heartbeat version, which is where a merge goes wrong.
 *
 * <p>Stateless; thread-safe as long as each caller uses its own generator.
 */
final class RandomViews {
  private RandomViews() {}

  static EndpointState entry(RandomGenerator rnd, String nodeId) {
    MemberStatus[] statuses = MemberStatus.values();
    return new EndpointState(
        nodeId,
        "h" + rnd.nextInt(2) + ":" + (7000 + rnd.nextInt(2)),
        rnd.nextInt(3),
        rnd.nextInt(4),
        statuses[rnd.nextInt(statuses.length)],
        rnd.nextInt(2));
  }

  /** A view over some of the nodes n0..n5. */
  static MembershipView view(RandomGenerator rnd) {
    List<EndpointState> entries = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      if (rnd.nextInt(3) > 0) {
        entries.add(entry(rnd, "n" + i));
      }
    }
    return MembershipView.of(entries);
  }
}
