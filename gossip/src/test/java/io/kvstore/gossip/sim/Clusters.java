package io.kvstore.gossip.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Starting simulated clusters and the conditions scenarios wait for.
 *
 * <p>Stateless.
 */
final class Clusters {
  private Clusters() {}

  /**
   * Nodes n1..n{size}, each knowing one seed: n1 itself (so it waits to be contacted), every
   * later node one random earlier node. Each starts at a random moment of the first tick.
   */
  static SimNetwork start(SimConfig config, int size) {
    SimNetwork net = new SimNetwork(config);
    SplittableRandom rnd = new SplittableRandom(config.seed() ^ 0x5EED5EEDL);
    for (int i = 1; i <= size; i++) {
      int seed = i == 1 ? 1 : 1 + rnd.nextInt(i - 1);
      net.add("n" + i, List.of("n" + seed + ":7000"), rnd.nextLong(config.gossip().tickMillis()));
    }
    return net;
  }

  /** Every node has started, and every running node's view holds every node. */
  static boolean viewsComplete(SimNetwork net) {
    int size = net.nodes().size();
    return net.nodes().stream()
        .allMatch(n -> n.core != null && (n.dead || n.core.view().size() == size));
  }

  /** Every responsive node but {@code about} itself judges {@code about} alive (or down). */
  static boolean allJudge(SimNetwork net, String about, boolean alive) {
    return net.nodes().stream()
        .filter(n -> n.responsive() && !n.id.equals(about))
        .allMatch(n -> n.core.isAlive(about) == alive);
  }

  /** Every responsive node judges every other responsive node alive. */
  static boolean allUp(SimNetwork net) {
    return net.nodes().stream().filter(SimNode::responsive)
        .allMatch(n -> allJudge(net, n.id, true));
  }

  /**
   * For every responsive node, the peers its events say are alive ("Up adds, Down removes",
   * since its last start) are exactly the peers it answers isAlive for: the events are a
   * complete account of the verdicts.
   */
  static void assertEventsMatchVerdicts(SimNetwork net, String context) {
    for (SimNode n : net.nodes()) {
      if (!n.responsive()) {
        continue;
      }
      TreeSet<String> byVerdict = new TreeSet<>();
      for (String id : n.core.view().entries().keySet()) {
        if (!id.equals(n.id) && n.core.isAlive(id)) {
          byVerdict.add(id);
        }
      }
      assertEquals(byVerdict, net.log().aliveByEvents(n.id, n.startedAt),
          context + ": events of " + n.id);
    }
  }
}
