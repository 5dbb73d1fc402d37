package io.kvstore.client;

import java.util.List;

/**
 * What every call of one {@link KvClient} shares: the endpoints, the selector tracking their
 * health, the policy, the clock and the retry settings. Immutable holder of thread-safe parts.
 *
 * @param maxAttempts nodes tried per call, hedges included
 * @param retryWritesOnUnavailable whether a write answered UNAVAILABLE moves on to another node
 */
record Routing(
    List<Endpoint> endpoints,
    NodeSelector selector,
    RoutingPolicy policy,
    Clock clock,
    int maxAttempts,
    boolean retryWritesOnUnavailable) {

  Routing {
    endpoints = List.copyOf(endpoints);
  }
}
