package io.kvstore.gossip;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Chooses where one tick's gossip exchanges go (DESIGN.md section 5, after Cassandra's
 * Gossiper): one random live peer; with a configured probability also one random unreachable
 * peer, so partitions heal and restarts are noticed; with another probability also one seed, so
 * clusters that split into islands rejoin. With no live peer, always a seed; and always a seed
 * that has never been heard of, so nodes that start before their seed (and then find each
 * other) do not form an island that only the seed probability would join to the rest.
 *
 * <p>Stateless; the caller's random generator is its only input beyond the arguments, drawn in
 * a fixed order so a seeded generator gives a reproducible choice.
 */
final class SynTargets {
  private SynTargets() {}

  /**
   * The targets as address -> node id (id null for an unknown seed); one exchange per address.
   *
   * @param live live peers' entries, in a deterministic order
   * @param unreachable down peers' entries, in a deterministic order
   * @param seeds seed addresses other than this node's own
   * @param idsByAddress ids of known nodes by address, to name seeds that are known
   */
  static Map<String, String> choose(
      List<EndpointState> live,
      List<EndpointState> unreachable,
      List<String> seeds,
      Map<String, String> idsByAddress,
      GossipConfig config,
      RandomGenerator random) {
    Map<String, String> out = new LinkedHashMap<>();
    if (!live.isEmpty()) {
      EndpointState p = live.get(random.nextInt(live.size()));
      out.put(p.address(), p.nodeId());
    }
    if (!unreachable.isEmpty() && random.nextDouble() < config.unreachableGossipProbability()) {
      EndpointState p = unreachable.get(random.nextInt(unreachable.size()));
      out.putIfAbsent(p.address(), p.nodeId());
    }
    boolean seedDraw = random.nextDouble() < config.seedGossipProbability();
    List<String> unknownSeeds = seeds.stream().filter(a -> !idsByAddress.containsKey(a)).toList();
    if (!unknownSeeds.isEmpty()) {
      String seed = unknownSeeds.get(random.nextInt(unknownSeeds.size()));
      out.putIfAbsent(seed, null);
    } else if (!seeds.isEmpty() && (live.isEmpty() || seedDraw)) {
      String seed = seeds.get(random.nextInt(seeds.size()));
      out.putIfAbsent(seed, idsByAddress.get(seed));
    }
    return out;
  }

  /** Seed addresses in the given order without duplicates and without {@code selfAddress}. */
  static List<String> normalizeSeeds(Iterable<String> seeds, String selfAddress) {
    List<String> out = new ArrayList<>();
    for (String s : seeds) {
      if (!s.equals(selfAddress) && !out.contains(s)) {
        out.add(s);
      }
    }
    return out;
  }
}
